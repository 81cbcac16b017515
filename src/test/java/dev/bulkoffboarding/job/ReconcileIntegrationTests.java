package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.LedgerRow;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.sandbox.SandboxProperties;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.sandbox.SandboxServer.CreatedAction;
import dev.bulkoffboarding.sandbox.SandboxServer.Fault;
import dev.bulkoffboarding.sandbox.SandboxServer.LoggedRequest;
import dev.bulkoffboarding.support.SandboxVendorTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reconciling only when the answer can be trusted, against a vendor that ignores
 * {@code Idempotency-Key}: nothing is listed for or sent again before the last send plus the
 * response timeout and the settle delay, only our own action is adopted, and a 2xx without the
 * action's id is not taken for a submission. The issue's figures (creation 35 s after the request,
 * a 30 s timeout, a list 10 s behind) are scaled down: creation after 1.5 s, a 1 s timeout, a list
 * 1 s behind, so the settle delay must be at least 0.5 s + 1 s; it is 2.5 s. A contract: it runs
 * once per database ({@link ReconcileOnH2IntegrationTests}, {@link ReconcileOnPostgresIntegrationTests}).
 */
@SandboxVendorTest(properties = { "quipteams.connect-timeout=1s", "quipteams.response-timeout=1s",
        "quipteams.settle-delay=2500ms",
        "quipteams.max-in-flight=4", "quipteams.max-attempts=4", "offboarding.chunk-size=10" })
abstract class ReconcileIntegrationTests {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(1);

    static final Duration SETTLE_DELAY = Duration.ofMillis(2500);

    @Autowired
    SandboxServer vendor;

    @TempDir
    Path dir;

    @Autowired
    RunService runs;

    @Autowired
    Ledger ledger;

    @Autowired
    DataSource dataSource;

    String prefix;

    @BeforeEach
    void reset() {
        vendor.reset();
        this.prefix = "R" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + "-";
    }

    @Test
    void aSlowCreationBehindALaggingListIsFoundNotSentAgain() throws IOException {
        // given: the vendor creates the action 1.5 s after the request (past our 1 s timeout), and
        // lists it 1 s after that
        vendor.setCreationDelay(Duration.ofMillis(1500));
        vendor.setListLag(Duration.ofSeconds(1));

        // when
        RunResult result = this.runs.run(RunRequest.of(file(row(1, "no"))));

        // then: exactly one action, and the row holds its id
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        String serial = this.prefix + 1;
        assertThat(posts(serial)).hasSize(1);
        assertThat(vendor.createdCount(serial, "Store")).isEqualTo(1);
        LedgerRow row = rows(result).get(2L);
        assertThat(row.state()).isEqualTo(RowState.SUBMITTED);
        assertThat(row.vendorId()).isEqualTo(vendor.createdActions().get(0).id());
    }

    @Test
    void aQuick5xxIsNotListedForBeforeTheSendHasSettled() throws IOException {
        // given: a gateway answers 504 at once, while the vendor goes on to create the action 1.5 s
        // after the request and lists it 1.5 s after that (3 s): waiting only the settle delay
        // from the 504 (2.5 s) would find nothing and send a second one
        vendor.setCreationDelay(Duration.ofMillis(1500));
        vendor.setListLag(Duration.ofMillis(1500));
        vendor.enqueueFaults(Fault.GATEWAY_TIMEOUT_CREATE_LATER);

        // when
        RunResult result = this.runs.run(RunRequest.of(file(row(1, "no"))));

        // then: looked up from the send + response timeout + settle delay (3.5 s), found, not resent
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        String serial = this.prefix + 1;
        List<LoggedRequest> post = posts(serial);
        assertThat(post).hasSize(1);
        assertThat(vendor.createdCount(serial, "Store")).isEqualTo(1);
        Instant lastSent = this.ledger.lastSentAt(result.summary().runId(), List.of(2L)).get(2L);
        assertThat(lastSent).isBefore(post.get(0).receivedAt());
        assertThat(vendor.requests()).filteredOn((request) -> request.method().equals("GET"))
            .isNotEmpty()
            .allSatisfy((listing) -> assertThat(listing.receivedAt())
                .isAfterOrEqualTo(lastSent.plus(RESPONSE_TIMEOUT).plus(SETTLE_DELAY)));
        assertThat(rows(result).get(2L).vendorId()).isEqualTo(vendor.createdActions().get(0).id());
    }

    @Test
    void aRestartNeitherListsNorSendsBeforeTheLastSendHasSettled() throws IOException {
        // given: line 3 was left SUBMITTING by a process that sent it a moment ago
        Path file = file(row(1, "no"), row(2, "no"));
        RunResult canary = this.runs.run(RunRequest.of(file).withCanary(1L));
        long runId = canary.summary().runId();
        Instant lastSent = Instant.now();
        new JdbcTemplate(this.dataSource).update("update offboarding_row set state = 'SUBMITTING', submitting_at = ?, "
                + "last_sent_at = ? where run_id = ? and line_number = 3", Timestamp.from(lastSent),
                Timestamp.from(lastSent), runId);

        // when
        RunResult resumed = this.runs.run(RunRequest.of(file));

        // then: the first request about it is a listing, and only after the send had settled (the
        // record is taken before connecting, so the connect timeout counts too)
        assertThat(resumed.exitCode()).isEqualTo(ExitCodes.OK);
        List<LoggedRequest> aboutLine3 = vendor.requests().stream()
            .filter((request) -> request.pathAndQuery().contains(this.prefix + 2) || request.body().contains(this.prefix + 2))
            .toList();
        assertThat(aboutLine3).extracting(LoggedRequest::method).containsExactly("GET", "POST");
        assertThat(aboutLine3.get(0).receivedAt())
            .isAfterOrEqualTo(lastSent.plus(CONNECT_TIMEOUT).plus(RESPONSE_TIMEOUT).plus(SETTLE_DELAY));
        assertThat(vendor.createdCount(this.prefix + 2, "Store")).isEqualTo(1);
        assertThat(rows(resumed).get(3L).state()).isEqualTo(RowState.SUBMITTED);
    }

    @Test
    void anActionMadeInTheDashboardIsNotTakenForOurs() throws IOException {
        // given: five minutes ago someone stored X without a wipe in the vendor's dashboard; our
        // Store of X with a wipe then fails with a 500 that created nothing
        String serial = this.prefix + 1;
        CreatedAction dashboard = vendor.seedAction("{\"action_type\": \"Store\", \"serial_number\": \"" + serial
                + "\", \"current_user\": {\"name\": \"Person 1\", \"email\": \"p1@acme.com\"}, \"wipe\": false}",
                Instant.now().minus(Duration.ofMinutes(5)));
        vendor.enqueueFaults(Fault.FAIL_BEFORE_CREATE);

        // when
        RunResult result = this.runs.run(RunRequest.of(file(row(1, "yes"))));

        // then: sent again, and created once, by us
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(posts(serial)).hasSize(2);
        List<CreatedAction> ours = vendor.createdActions().stream()
            .filter((action) -> action.idempotencyKey() != null)
            .toList();
        assertThat(ours).hasSize(1);
        assertThat(ours.get(0).body()).contains("\"wipe\":true");
        LedgerRow row = rows(result).get(2L);
        assertThat(row.state()).isEqualTo(RowState.SUBMITTED);
        assertThat(row.vendorId()).isEqualTo(ours.get(0).id()).isNotEqualTo(dashboard.id());
    }

    @Test
    void aSuccessWithoutAnIdIsLookedUpAndRecordedWithTheVendorsId() throws IOException {
        // given: 200 text/html "OK" (a proxy), with the action created behind it
        vendor.enqueueFaults(Fault.HTML_OK_AFTER_CREATE);

        // when
        RunResult result = this.runs.run(RunRequest.of(file(row(1, "no"))));

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        String serial = this.prefix + 1;
        assertThat(posts(serial)).hasSize(1);
        assertThat(vendor.createdActions()).hasSize(1);
        LedgerRow row = rows(result).get(2L);
        assertThat(row.state()).isEqualTo(RowState.SUBMITTED);
        assertThat(row.vendorId()).isEqualTo(vendor.createdActions().get(0).id());
    }

    @Test
    void aSuccessWithoutAnIdThatTheVendorDoesNotShowNeedsAPersonAndIsNotSentAgain() throws IOException {
        // given: 200 text/html "OK" from something that is not the vendor: nothing was created
        vendor.enqueueFaults(Fault.HTML_OK_WITHOUT_CREATE);

        // when
        RunResult result = this.runs.run(RunRequest.of(file(row(1, "no"))));

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        String serial = this.prefix + 1;
        assertThat(posts(serial)).hasSize(1);
        assertThat(vendor.createdActions()).isEmpty();
        LedgerRow row = rows(result).get(2L);
        assertThat(row.state()).isEqualTo(RowState.UNCONFIRMED);
        assertThat(row.vendorId()).isNull();
        assertThat(row.errorMessage()).contains("without the device action's id", "check the vendor's dashboard");
        assertThat(Files.readString(result.reportDirectory().resolve("failures.csv"))).contains(serial);
    }

    @Test
    void aSubmittedRowWithoutTheVendorsIdFailsTheRunNamingItsLine() throws IOException {
        // given: a run whose line 2 is recorded SUBMITTED without an id (damaged, or from an older version)
        Path file = file(row(1, "no"), row(2, "no"));
        RunResult canary = this.runs.run(RunRequest.of(file).withCanary(1L));
        new JdbcTemplate(this.dataSource).update("update offboarding_row set vendor_id = null where run_id = ? "
                + "and line_number = 2", canary.summary().runId());

        // when
        RunResult resumed = this.runs.run(RunRequest.of(file));

        // then
        assertThat(resumed.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(resumed.message()).contains("SUBMITTED without the vendor's device action id, at line(s) 2:");
        assertThat(rows(resumed).get(3L).state()).isEqualTo(RowState.SUBMITTED);
    }

    String row(int number, String wipe) {
        return this.prefix + number + ",Store,Person " + number + ",p" + number + "@acme.com," + wipe;
    }

    Path file(String... rows) throws IOException {
        String csv = "serial_number,action_type,current_user_name,current_user_email,wipe\n" + String.join("\n", rows)
                + "\n";
        Path file = this.dir.resolve(this.prefix + UUID.randomUUID() + ".csv");
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        return file;
    }

    List<LoggedRequest> posts(String serial) {
        return vendor.requests()
            .stream()
            .filter((request) -> request.method().equals("POST") && request.body().contains("\"" + serial + "\""))
            .toList();
    }

    Map<Long, LedgerRow> rows(RunResult result) {
        Map<Long, LedgerRow> rows = new TreeMap<>();
        this.ledger.forEachRow(result.summary().runId(), (row) -> rows.put(row.line(), row));
        return rows;
    }

}
