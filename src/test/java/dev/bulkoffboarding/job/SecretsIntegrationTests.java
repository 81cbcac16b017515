package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import javax.sql.DataSource;

import dev.bulkoffboarding.DatabaseScan;
import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.sandbox.SandboxServer.Fault;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.FakeApiKeys;
import dev.bulkoffboarding.support.SandboxVendor;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API key can wipe a company's laptops: it must appear nowhere but in the Authorization header.
 * Whole runs (success, vendor too slow, vendor down, key rejected) with a recognisable key and
 * every logger at DEBUG (Spring's web client at TRACE with request details on), then everything
 * printed since the application started, every value of every table (job parameters, execution
 * contexts, exit messages with their stack traces, the ledger), every message the runs returned and
 * every byte of every file they left (reports, run locks) are searched for it.
 * (The command line, with the key given as an argument, is searched by PersonalDataIntegrationTests.)
 */
@SpringBootTest(properties = { "logging.level.root=DEBUG", "logging.level.dev.bulkoffboarding=DEBUG",
        "logging.level.reactor.netty=DEBUG", "logging.level.org.springframework.batch=DEBUG",
        "logging.level.org.springframework.web=TRACE", "logging.level.org.springframework.http=TRACE",
        "spring.codec.log-request-details=true", "quipteams.response-timeout=300ms", "quipteams.max-attempts=2",
        "quipteams.circuit-breaker-threshold=2" })
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class SecretsIntegrationTests {

    static final String KEY = FakeApiKeys.live();

    /** Its tail: a mask that keeps the documented prefix must not leave any of this. */
    static final String KEY_TAIL = KEY.substring(FakeApiKeys.PREFIX.length());

    @AutoClose
    static final SandboxServer vendor = SandboxVendor.immediate();

    @Autowired
    RunService runs;

    @Autowired
    DataSource dataSource;

    @Autowired
    OffboardingProperties properties;

    @Autowired
    Environment environment;

    @TempDir
    Path dir;

    @DynamicPropertySource
    static void quipteams(DynamicPropertyRegistry registry) {
        SandboxVendor.use(vendor, KEY, registry);
    }

    Path file(String name, int rows) throws IOException {
        StringBuilder csv = new StringBuilder("serial_number,action_type,current_user_name,current_user_email,wipe\n");
        for (int i = 1; i <= rows; i++) {
            csv.append(name.toUpperCase(Locale.ROOT)).append('-').append(i).append(",Store,Person ").append(i)
                .append(",p").append(i).append("@acme.example,").append((i == 1) ? "yes" : "no").append('\n');
        }
        return Files.writeString(this.dir.resolve(name + ".csv"), csv);
    }

    @Test
    void theApiKeyAppearsInNoLogTableReportOrMessageWhateverTheRunsOutcome(CapturedOutput output) throws Exception {
        // given: the key is the one this application sends
        assertThat(this.environment.getProperty("quipteams.api-key")).isEqualTo(KEY);
        List<RunResult> results = new ArrayList<>();

        // when: a run that succeeds, one whose response times out (then reconciled), one the vendor
        // fails with 5xx until the circuit opens, and one whose key was revoked
        results.add(this.runs.run(RunRequest.of(file("success", 3))));
        vendor.enqueueFaults(Fault.DELAY_AFTER_CREATE);
        results.add(this.runs.run(RunRequest.of(file("timeout", 2))));
        vendor.outage(Duration.ofMinutes(10));
        results.add(this.runs.run(RunRequest.of(file("outage", 3))));
        vendor.outage(Duration.ZERO);
        vendor.revokeKey(KEY);
        results.add(this.runs.run(RunRequest.of(file("revoked", 3))));

        // then: every path was taken, with the logging that could leak at its most talkative
        assertThat(results).extracting(RunResult::exitCode)
            .containsExactly(ExitCodes.OK, ExitCodes.OK, ExitCodes.FAILED, ExitCodes.FAILED);
        assertThat(results.get(1).summary().count("SUBMITTED")).isEqualTo(2);
        assertThat(results.get(2).message()).contains("Quipteams unavailable");
        assertThat(results.get(3).message()).contains("API key rejected (401");
        assertThat(vendor.requests()).extracting(SandboxServer.LoggedRequest::status).contains(201, 401, 503);
        String printed = output.toString();
        assertThat(printed).contains("Creating shared instance of singleton bean")
            .contains("HTTP POST " + vendor.baseUri() + "/api/v1/device-actions")
            .contains("Decoded \"{\"data\"");

        // then: not in anything printed since the application started, at any level
        assertThat(printed).doesNotContain(KEY_TAIL);

        // then: not in any message the runs returned
        for (RunResult result : results) {
            assertThat(String.valueOf(result.message()) + result.summary()).doesNotContain(KEY_TAIL);
        }

        // then: not in any table: job parameters, execution contexts, exit messages, the ledger
        assertThat(DatabaseScan.tables(this.dataSource)).contains("BATCH_JOB_EXECUTION_PARAMS",
                "BATCH_JOB_EXECUTION_CONTEXT", "BATCH_STEP_EXECUTION", "OFFBOARDING_ROW", "OFFBOARDING_RUN");
        assertThat(DatabaseScan.find(this.dataSource, "OUTAGE-1")).as("the scan reads the ledger").isNotEmpty();
        assertThat(DatabaseScan.find(this.dataSource, "Unable to process chunk")).as("exit messages").isNotEmpty();
        assertThat(DatabaseScan.find(this.dataSource, "run.dedup")).as("job parameters").isNotEmpty();
        assertThat(DatabaseScan.find(this.dataSource, "gate.wipes-confirmed")).as("serialized contexts").isNotEmpty();
        assertThat(DatabaseScan.find(this.dataSource, KEY_TAIL)).isEmpty();

        // then: not in any file the runs left: reports and run locks
        List<Path> files = new ArrayList<>();
        for (Path root : List.of(this.properties.reportsDir(), this.properties.dataDir())) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        assertThat(files).filteredOn((file) -> file.getFileName().toString().equals("results.csv")).hasSize(4);
        for (Path file : files) {
            assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
                .doesNotContain(KEY_TAIL);
        }
    }

}
