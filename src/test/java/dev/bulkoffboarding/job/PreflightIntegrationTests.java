package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.rows.DeviceClaims;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.LedgerRow;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.sandbox.SandboxServer.CreatedAction;
import dev.bulkoffboarding.sandbox.SandboxServer.LoggedRequest;
import dev.bulkoffboarding.support.SandboxVendor;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run asks the vendor about its devices before its first POST: a serial the inventory does not
 * know is not sent (or goes to the external-device endpoint when the row describes the device), a
 * device with an open action that no run of ours created is not sent, and a holder other than the
 * file's is a warning. Every case asserts what reached the sandbox. A contract: it runs once per
 * database ({@link PreflightOnH2IntegrationTests}, {@link PreflightOnPostgresIntegrationTests}).
 */
@SpringBootTest(properties = { "offboarding.preflight.enabled=true", "quipteams.max-in-flight=4",
        "offboarding.chunk-size=10" })
@ActiveProfiles("test")
abstract class PreflightIntegrationTests {

    static final String HEADER = "serial_number,action_type,current_user_name,current_user_email,Model,Device Type,"
            + "Country of device\n";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @AutoClose
    static SandboxServer vendor;

    @TempDir
    Path dir;

    @Autowired
    RunService runs;

    @Autowired
    Ledger ledger;

    @Autowired
    DeviceClaims claims;

    @DynamicPropertySource
    static void quipteams(DynamicPropertyRegistry registry) {
        vendor = SandboxVendor.immediate();
        SandboxVendor.use(vendor, registry);
    }

    @BeforeEach
    void reset() {
        vendor.reset();
    }

    @Test
    void sendsOnlyWhatTheVendorDoesNotContradict() throws IOException {
        // given: an inventory, an action someone opened in the dashboard, one that is over, one for C02X1
        String p = prefix();
        Instant opened = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);
        vendor.addDevice(p + "A", "in_use", "Ann Lee");
        vendor.addDevice(p + "B", "in_use", "Someone Else");
        vendor.addDevice(p + "C", "in_storage", null);
        vendor.addDevice(p + "D", "in_use", "Dan Poe");
        vendor.addDevice(p + "E", "in_use", "Eve Roe");
        vendor.addDevice(p + "X", "in_use", "Xi Yu");
        vendor.addDevice(p + "X1", "in_use", "Xi Yu");
        SandboxServer.CreatedAction dashboard = vendor.seedAction(action(p + "D", "Retrieval"), opened);
        SandboxServer.CreatedAction over = vendor.seedAction(action(p + "E", "Retrieval"), opened.plusSeconds(1));
        vendor.setActionStatus(over.id(), "Completed");
        vendor.seedAction(action(p + "X1", "Retrieval"), opened.plusSeconds(2));
        vendor.seedAction(action(p + "A", "Store"), opened.plusSeconds(3));
        int seeded = vendor.createdActions().size();
        Path file = file("leavers.csv",
                row(p + "A", "Ann Lee"), // 2: open Store for A, but this is a Retrieval
                row(p + "B", "Bob Stone"), // 3: held by someone else: warned, sent
                row(p + "C", "Cy Twombly"), // 4: in storage: warned, sent
                row(p + "D", "Dan Poe"), // 5: open Retrieval no run of ours created
                row(p + "E", "Eve Roe"), // 6: its Retrieval is Completed
                row(p + "F", "Fay Wray"), // 7: not in the inventory, not described
                row(p + "G", "Gus Grissom") + ",ThinkPad X1 Carbon Gen 11,Laptop,Germany", // 8: external
                row(p + "X", "Xi Yu")); // 9: X1's open action is not X's

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then: two rows need a person, the rest was sent
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        Map<Long, LedgerRow> rows = rows(result);
        assertThat(rows).hasSize(8);
        assertThat(rows.get(5L).state()).isEqualTo(RowState.OPEN_ACTION_EXISTS);
        assertThat(rows.get(5L).errorMessage()).contains(dashboard.actionId(), dashboard.id(), "status In Progress",
                "created " + opened);
        assertThat(rows.get(5L).actionId()).isEqualTo(dashboard.actionId());
        assertThat(rows.get(5L).vendorId()).isNull();
        assertThat(rows.get(7L).state()).isEqualTo(RowState.NOT_IN_INVENTORY);
        assertThat(rows.get(7L).errorMessage()).contains("not in the Quipteams inventory", "external device",
                "device_model, device_type and device_country");
        for (long line : List.of(2L, 3L, 4L, 6L, 8L, 9L)) {
            assertThat(rows.get(line).state()).as("line " + line).isEqualTo(RowState.SUBMITTED);
        }
        assertThat(result.summary().count("NOT_IN_INVENTORY")).isEqualTo(1);
        assertThat(result.summary().count("OPEN_ACTION_EXISTS")).isEqualTo(1);
        assertThat(rows.get(2L).notice()).isNull();
        assertThat(rows.get(3L).notice()).contains("Someone Else", "Bob Stone");
        assertThat(rows.get(4L).notice()).contains("in storage");

        // and: the vendor got one POST per sent row, none for D or F, G's at the external endpoint
        List<CreatedAction> created = vendor.createdActions().subList(seeded, vendor.createdActions().size());
        assertThat(created).extracting(CreatedAction::serialNumber)
            .containsExactlyInAnyOrder(p + "A", p + "B", p + "C", p + "E", p + "G", p + "X");
        List<LoggedRequest> posts = vendor.requests().stream().filter((r) -> r.method().equals("POST")).toList();
        assertThat(posts).hasSize(6);
        LoggedRequest external = posts.stream().filter((r) -> r.body().contains(p + "G")).findFirst().orElseThrow();
        assertThat(external.pathAndQuery()).isEqualTo("/api/v1/device-actions/external");
        JsonNode body = JSON.readTree(external.body());
        assertThat(body.propertyNames()).containsExactly("action_type", "serial_number", "model", "type", "country",
                "current_user");
        assertThat(body.get("model").stringValue()).isEqualTo("ThinkPad X1 Carbon Gen 11");
        assertThat(body.get("type").stringValue()).isEqualTo("Laptop");
        assertThat(body.get("country").stringValue()).isEqualTo("Germany");
        assertThat(posts).filteredOn((r) -> !r.body().contains(p + "G"))
            .allMatch((r) -> r.pathAndQuery().equals("/api/v1/device-actions"));
        // every GET came before the first POST
        int firstPost = vendor.requests().indexOf(posts.get(0));
        assertThat(vendor.requests().subList(firstPost, vendor.requests().size()))
            .allMatch((r) -> r.method().equals("POST"));

        // and: the reports say it
        String results = Files.readString(result.reportDirectory().resolve("results.csv"));
        assertThat(results).contains("OPEN_ACTION_EXISTS", "NOT_IN_INVENTORY", "warning: the Quipteams inventory says "
                + "Someone Else holds this device");
        String failures = Files.readString(result.reportDirectory().resolve("failures.csv"));
        assertThat(failures.lines().skip(1)).hasSize(2)
            .anyMatch((line) -> line.startsWith(p + "D,") && line.contains("OPEN_ACTION_EXISTS (line 5)"))
            .anyMatch((line) -> line.startsWith(p + "F,") && line.contains("NOT_IN_INVENTORY (line 7)"));
    }

    @Test
    void validateOnlineCountsWhatARunWouldStopAndSendsNothing() throws IOException {
        // given
        String p = prefix();
        vendor.addDevice(p + "A", "in_use", "Ann Lee");
        vendor.addDevice(p + "D", "in_use", "Dan Poe");
        vendor.seedAction(action(p + "D", "Retrieval"), Instant.now().minusSeconds(3600));
        Path file = file("leavers.csv", row(p + "A", "Ann Lee"), row(p + "D", "Dan Poe"), row(p + "F", "Fay Wray"),
                row(p + "G", "Gus Grissom") + ",MacBook Pro 14,Laptop,Spain");

        // when
        RunResult offline = this.runs.validate(file);
        int afterOffline = vendor.requests().size();
        RunResult online = this.runs.validate(file, true);

        // then: offline asks nothing; online asks with GETs only and counts the new outcomes
        assertThat(afterOffline).isZero();
        assertThat(offline.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(offline.summary().count("VALID")).isEqualTo(4);
        assertThat(vendor.requests()).isNotEmpty().allMatch((r) -> r.method().equals("GET"));
        assertThat(online.exitCode()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        assertThat(online.summary().count("VALID")).isEqualTo(2);
        assertThat(online.summary().count("OPEN_ACTION_EXISTS")).isEqualTo(1);
        assertThat(online.summary().count("NOT_IN_INVENTORY")).isEqualTo(1);
        assertThat(rows(online).get(5L).externalDevice()).isTrue();
    }

    @Test
    void anOpenActionOneOfOurRunsCreatedIsNotSomeoneElses() throws IOException {
        // given: a run submitted X; its action is open at the vendor
        String p = prefix();
        vendor.addDevice(p + "X", "in_use", "Xi Yu");
        vendor.addDevice(p + "Y", "in_use", "Yo Ma");
        RunResult first = this.runs.run(RunRequest.of(file("first.csv", row(p + "X", "Xi Yu"))));
        assertThat(first.exitCode()).isEqualTo(ExitCodes.OK);
        // and no claim holds X any more (a person released it): only the ledger knows the action is ours
        assertThat(this.claims.release((p + "X").toUpperCase(), "Retrieval", false)).isPresent();

        // when: a file with X again is run on purpose without de-duplication
        RunResult again = this.runs.run(RunRequest.of(file("again.csv", row(p + "X", "Xi Yu"), row(p + "Y", "Yo Ma")))
            .withDedup(false));

        // then: the preflight does not take our own action for someone else's
        assertThat(again.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(rows(again).get(2L).state()).isEqualTo(RowState.SUBMITTED);
        assertThat(vendor.createdCount(p + "X", "Retrieval")).isEqualTo(2);
    }

    @Test
    void aLaggingListHidesNoActionOfOthersOlderThanItsLagAndOursStayDeduplicated() throws IOException {
        // given: a list that shows actions only a minute after their creation; a dashboard action an hour old
        String p = prefix();
        vendor.addDevice(p + "D", "in_use", "Dan Poe");
        vendor.addDevice(p + "X", "in_use", "Xi Yu");
        vendor.seedAction(action(p + "D", "Retrieval"), Instant.now().minusSeconds(3600));
        vendor.setListLag(Duration.ofMinutes(1));
        RunResult first = this.runs.run(RunRequest.of(file("first.csv", row(p + "X", "Xi Yu"))));
        assertThat(first.exitCode()).isEqualTo(ExitCodes.OK);

        // when: the next file has both, while X's new action is not listed yet
        RunResult next = this.runs.run(RunRequest.of(file("next.csv", row(p + "D", "Dan Poe"), row(p + "X", "Xi Yu"))));

        // then: D is stopped, X is not sent twice (the ledger knows it, whatever the list shows)
        assertThat(rows(next).get(2L).state()).isEqualTo(RowState.OPEN_ACTION_EXISTS);
        assertThat(rows(next).get(3L).state()).isEqualTo(RowState.ALREADY_SUBMITTED);
        assertThat(vendor.createdCount(p + "X", "Retrieval")).isEqualTo(1);
        assertThat(vendor.createdCount(p + "D", "Retrieval")).isEqualTo(1);
    }

    @Test
    void aRestartDoesNotAskAgainWhatThePreflightRecorded() throws IOException {
        // given: a canary run that checked every device, then sent one
        String p = prefix();
        vendor.addDevice(p + "A", "in_use", "Ann Lee");
        vendor.addDevice(p + "B", "in_use", "Bob Stone");
        Path file = file("leavers.csv", row(p + "A", "Ann Lee"), row(p + "B", "Bob Stone"), row(p + "F", "Fay Wray"));
        RunResult canary = this.runs.run(RunRequest.of(file).withCanary(1L));
        assertThat(rows(canary).get(4L).state()).isEqualTo(RowState.NOT_IN_INVENTORY);
        long getsBefore = gets();

        // when
        RunResult rest = this.runs.run(RunRequest.of(file));

        // then: the same run goes on, without a single GET, and ends with the row still stopped
        assertThat(rest.summary().runId()).isEqualTo(canary.summary().runId());
        assertThat(gets()).isEqualTo(getsBefore);
        assertThat(rows(rest).get(3L).state()).isEqualTo(RowState.SUBMITTED);
        assertThat(rows(rest).get(4L).state()).isEqualTo(RowState.NOT_IN_INVENTORY);
        assertThat(rest.exitCode()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
    }

    @Test
    void aVendorThatCannotBeReadStopsTheRunBeforeAnythingIsSent() throws IOException {
        // given
        String p = prefix();
        vendor.addDevice(p + "A", "in_use", "Ann Lee");
        vendor.outage(Duration.ofMinutes(5));

        // when
        RunResult result = this.runs.run(RunRequest.of(file("leavers.csv", row(p + "A", "Ann Lee"))));

        // then: restartable, nothing sent, nothing concluded
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.message()).contains("Could not check the devices with Quipteams before sending");
        assertThat(vendor.requests()).allMatch((r) -> r.method().equals("GET"));
        assertThat(rows(result).get(2L).state()).isEqualTo(RowState.VALID);

        // when: the vendor is back
        vendor.outage(Duration.ZERO);
        RunResult again = this.runs.run(RunRequest.of(file("leavers.csv", row(p + "A", "Ann Lee"))));

        // then
        assertThat(again.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(vendor.createdCount(p + "A", "Retrieval")).isEqualTo(1);
    }

    private long gets() {
        return vendor.requests().stream().filter((r) -> r.method().equals("GET")).count();
    }

    private Map<Long, LedgerRow> rows(RunResult result) {
        Map<Long, LedgerRow> rows = new TreeMap<>();
        this.ledger.forEachRow(result.summary().runId(), (row) -> rows.put(row.line(), row));
        return rows;
    }

    private static String prefix() {
        return "P" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + "-";
    }

    private static String row(String serial, String name) {
        return serial + ",Retrieval," + name + "," + serial.toLowerCase() + "@acme.com";
    }

    private static String action(String serial, String type) {
        return "{\"action_type\":\"" + type + "\",\"serial_number\":\"" + serial + "\",\"current_user\":"
                + "{\"name\":\"Dashboard User\",\"email\":\"someone@acme.com\"}}";
    }

    private Path file(String name, String... rows) throws IOException {
        Path file = this.dir.resolve(name);
        Files.writeString(file, HEADER + String.join("\n", rows) + "\n", StandardCharsets.UTF_8);
        return file;
    }

}
