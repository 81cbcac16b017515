package dev.bulkoffboarding.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.schedule.InboxFile;
import dev.bulkoffboarding.schedule.InboxLog;
import dev.bulkoffboarding.schedule.InboxProcessor;
import dev.bulkoffboarding.schedule.InboxProperties;
import dev.bulkoffboarding.support.FakeApiKeys;
import dev.bulkoffboarding.support.SandboxVendor;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Serve's nightly imports meet "one device, one action": night 1's run fails part-way, night 2's
 * cumulative export names the same people again, and then an operator restarts night 1 from the
 * review UI. Each device gets exactly one action, whichever run sends it. A contract: the database
 * decides who sends a device, so it runs on each ({@link NightlyRestartOnH2IntegrationTests},
 * {@link NightlyRestartOnPostgresIntegrationTests}).
 */
@ServeContext
abstract class NightlyRestartIntegrationTests {

    static final String HEADER = "serial_number,action_type,current_user_name,current_user_email\r\n";

    static final String KEY = FakeApiKeys.live();

    @AutoClose
    static SandboxServer vendor;

    @Autowired
    MockMvc mvc;

    @Autowired
    InboxProcessor processor;

    @Autowired
    InboxProperties inbox;

    @Autowired
    InboxLog log;

    @Autowired
    Ledger ledger;

    final RequestPostProcessor operator = httpBasic(ServeContext.OPERATOR, ServeContext.OPERATOR_PASSWORD);

    @DynamicPropertySource
    static void quipteams(DynamicPropertyRegistry registry) {
        vendor = SandboxVendor.immediate();
        SandboxVendor.use(vendor, KEY, registry);
    }

    @Test
    void restartingAFailedNightFromTheUiSendsNoDeviceTwice() throws Exception {
        // given: night 1 fails at its first answer (the key was revoked for the night)
        String prefix = "N" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + "-";
        List<String> night1 = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            night1.add(row(prefix + i));
        }
        vendor.revokeKey(KEY);
        drop("night-1.csv", night1);
        this.processor.processInbox();
        InboxFile first = latest();
        assertThat(first.outcome()).isEqualTo(InboxFile.Outcome.FAILED);
        assertThat(vendor.createdActions()).isEmpty();

        // when: the key works again, and night 2's cumulative export (night 1's people and two more) runs
        vendor.reset();
        List<String> night2 = new ArrayList<>(night1);
        night2.add(row(prefix + "13"));
        night2.add(row(prefix + "14"));
        drop("night-2.csv", night2);
        this.processor.processInbox();
        InboxFile second = latest();
        assertThat(second.runId()).isNotEqualTo(first.runId());

        // and then night 1 is restarted from the review UI
        this.mvc.perform(post("/api/runs/" + first.runId() + "/restart").with(this.operator))
            .andExpect(status().isAccepted());
        awaitFinished(first.runId());

        // then: every device has exactly one action
        assertThat(createdPerDevice()).hasSize(14).allSatisfy((device, count) -> assertThat(count).isEqualTo(1));
        // night 2 held the devices night 1 was still sending, and left the rest to nobody else
        Map<RowState, Long> night2States = this.ledger.countByState(second.runId());
        Map<RowState, Long> night1States = this.ledger.countByState(first.runId());
        assertThat(night2States.get(RowState.SUBMITTED) + night1States.get(RowState.SUBMITTED)).isEqualTo(14);
        assertThat(night1States.get(RowState.SUBMITTED) + night1States.get(RowState.ALREADY_SUBMITTED))
            .isEqualTo(12);
        assertThat(night1States.get(RowState.SUBMITTED)).as("rows night 1 had in flight when it failed").isPositive();
        assertThat(night2States.get(RowState.HELD)).isEqualTo(night1States.get(RowState.SUBMITTED));

        // when: night 2 is restarted too, its held rows find night 1's actions
        this.mvc.perform(post("/api/runs/" + second.runId() + "/restart").with(this.operator))
            .andExpect(status().isAccepted());
        awaitFinished(second.runId());

        // then
        assertThat(this.ledger.countByState(second.runId()).get(RowState.HELD)).isZero();
        assertThat(createdPerDevice()).hasSize(14).allSatisfy((device, count) -> assertThat(count).isEqualTo(1));
    }

    private Map<String, Long> createdPerDevice() {
        Map<String, Long> perDevice = new TreeMap<>();
        vendor.createdActions().forEach((action) -> perDevice.merge(action.serialNumber(), 1L, Long::sum));
        return perDevice;
    }

    private void awaitFinished(long runId) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        String status = null;
        while (System.nanoTime() < deadline) {
            status = com.jayway.jsonpath.JsonPath.read(this.mvc
                .perform(get("/api/runs/" + runId).with(this.operator))
                .andReturn()
                .getResponse()
                .getContentAsString(), "$.status");
            if ("COMPLETED".equals(status)) {
                return;
            }
            Thread.sleep(100);
        }
        assertThat(status).isEqualTo("COMPLETED");
    }

    private InboxFile latest() {
        return this.log.recent(1).get(0);
    }

    private void drop(String name, List<String> rows) throws IOException {
        Files.createDirectories(this.inbox.dir());
        Files.writeString(this.inbox.dir().resolve(name), HEADER + String.join("\r\n", rows) + "\r\n",
                StandardCharsets.UTF_8);
    }

    private static String row(String serial) {
        return serial + ",Retrieval,Jane Roe," + serial.toLowerCase() + "@example.com";
    }

}
