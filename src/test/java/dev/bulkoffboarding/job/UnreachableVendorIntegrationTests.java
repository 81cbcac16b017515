package dev.bulkoffboarding.job;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.support.FakeApiKeys;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run whose base URL nobody answers at: it stops after a few attempts, saying which address
 * could not be reached and why, and resumes once the vendor is there.
 */
@SpringBootTest(properties = { "quipteams.max-in-flight=8", "quipteams.max-attempts=10",
        "offboarding.chunk-size=5" })
@ActiveProfiles("test")
class UnreachableVendorIntegrationTests {

    /** A loopback port that nothing listens on until the test starts the vendor there. */
    static int port;

    MockWebServer vendor;

    final List<RecordedRequest> received = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @Autowired
    RunService runs;

    @Autowired
    Ledger ledger;

    @DynamicPropertySource
    static void quipteams(DynamicPropertyRegistry registry) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        registry.add("quipteams.base-url", () -> baseUrl());
        registry.add("quipteams.api-key", FakeApiKeys::live);
    }

    static String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @AfterEach
    void stopVendor() {
        if (this.vendor != null) {
            this.vendor.close();
        }
    }

    void startVendor() throws IOException {
        this.vendor = new MockWebServer();
        this.vendor.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                received.add(request);
                String body = "GET".equals(request.getMethod())
                        ? "{\"data\": [], \"meta\": {\"has_more\": false, \"next_cursor\": null}}"
                        : "{\"data\": {\"id\": \"" + UUID.randomUUID() + "\", \"action_id\": \"DA-1\", \"status\": "
                                + "\"In Progress\"}}";
                return new MockResponse.Builder().code("GET".equals(request.getMethod()) ? 200 : 201)
                    .addHeader("Content-Type", "application/json")
                    .body(body)
                    .build();
            }
        });
        this.vendor.start(InetAddress.getLoopbackAddress(), port);
    }

    @Test
    void anUnreachableHostCostsAtMostThreeAttemptsAndNamesTheCause() throws IOException {
        // given: nothing listens at the base URL (one row alone would be tried ten times)
        StringBuilder csv = new StringBuilder("Serial Number;Action;Employee Name;Employee Email\r\n");
        for (int i = 1; i <= 20; i++) {
            csv.append("UNR-").append(i).append(";Retrieval;Person ").append(i).append(";p").append(i)
                .append("@acme.com\r\n");
        }
        Path file = Files.writeString(this.dir.resolve("leavers.csv"), csv, StandardCharsets.UTF_8);

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then: stopped, saying where and why; no row rejected or given up on
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.message()).startsWith("cannot reach " + baseUrl() + ": connection refused (3 attempts)");
        Map<RowState, Long> states = this.ledger.countByState(result.summary().runId());
        assertThat(states.get(RowState.REJECTED) + states.get(RowState.FAILED)).isZero();
        // rows whose attempt could not connect stay SUBMITTING (a restart looks them up first): at
        // most one per attempt, as the rows take turns while one waits for its retry
        assertThat(states.get(RowState.SUBMITTING)).isBetween(1L, 3L);
        assertThat(states.get(RowState.VALID) + states.get(RowState.SUBMITTING)).isEqualTo(20L);

        // when: the vendor is there
        startVendor();
        RunResult restarted = this.runs.restart(result.summary().runId());

        // then
        assertThat(restarted.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(restarted.summary().count("SUBMITTED")).isEqualTo(20);
        assertThat(this.received).filteredOn((request) -> "POST".equals(request.getMethod())).hasSize(20);
    }

}
