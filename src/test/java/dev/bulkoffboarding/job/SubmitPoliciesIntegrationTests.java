package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.sandbox.SandboxProperties;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.SandboxVendor;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Run-level policies against a vendor that fails at random (10 % of creates fail before the
 * action exists, 10 % after): exactly once, re-runs, de-duplication switches and the skip limit.
 */
@SpringBootTest(properties = { "quipteams.max-in-flight=8", "quipteams.max-attempts=10",
        "quipteams.circuit-breaker-threshold=50", "offboarding.max-rejected=3" })
@ActiveProfiles("test")
class SubmitPoliciesIntegrationTests {

    @AutoClose
    static final SandboxServer vendor = SandboxServer.start(SandboxProperties.defaults()
        .withLatency(Duration.ofMillis(2))
        .withRequestsPerMinute(0)
        .withFailureRatios(0.1, 0.1)
        .withSeed(7));

    @TempDir
    Path dir;

    @Autowired
    RunService runs;

    @DynamicPropertySource
    static void quipteams(DynamicPropertyRegistry registry) {
        SandboxVendor.use(vendor, registry);
    }

    @BeforeEach
    void reset() {
        vendor.reset();
    }

    Path sheet(int count, String serialPrefix) throws IOException {
        StringBuilder csv = new StringBuilder("Serial Number;Action;Employee Name;Employee Email\r\n");
        for (int i = 1; i <= count; i++) {
            csv.append(serialPrefix).append(i).append(";Retrieval;Person ").append(i).append(";p").append(i)
                .append("@acme.com\r\n");
        }
        return Files.writeString(this.dir.resolve(UUID.randomUUID() + ".csv"), csv, StandardCharsets.UTF_8);
    }

    Map<String, Long> createdPerSerial() {
        return vendor.createdActions().stream()
            .collect(Collectors.groupingBy(SandboxServer.CreatedAction::serialNumber, Collectors.counting()));
    }

    @Test
    void randomFailuresBeforeAndAfterCreationNeitherDuplicateNorLoseARow() throws IOException {
        // when
        RunResult result = this.runs.run(RunRequest.of(sheet(300, "RND-")));

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.summary().count("SUBMITTED")).isEqualTo(300);
        assertThat(createdPerSerial()).hasSize(300).allSatisfy((serial, n) -> assertThat(n).as(serial).isEqualTo(1L));
        assertThat(vendor.requests()).filteredOn((r) -> r.status() == 500).hasSizeGreaterThan(20);
    }

    @Test
    void rerunSendsACompletedFileAgainOnlyWhenAsked() throws IOException {
        // given
        Path file = sheet(5, "RR-");
        RunResult first = this.runs.run(RunRequest.of(file));
        assertThat(first.exitCode()).isEqualTo(ExitCodes.OK);

        // when: a deliberate re-run, still protected by cross-run de-duplication
        RunResult rerun = this.runs.run(RunRequest.of(file).asRerun());

        // then
        assertThat(rerun.summary().runId()).isNotEqualTo(first.summary().runId());
        assertThat(rerun.summary().count("ALREADY_SUBMITTED")).isEqualTo(5);
        assertThat(createdPerSerial().values()).allMatch((n) -> n == 1L);

        // when: a re-run without de-duplication sends everything again, as the operator asked
        RunResult forced = this.runs.run(RunRequest.of(file).withLabel("again").withDedup(false));

        // then
        assertThat(forced.summary().count("SUBMITTED")).isEqualTo(5);
        assertThat(createdPerSerial().values()).allMatch((n) -> n == 2L);
    }

    @Test
    void tooManyRejectionsStopTheRun() throws IOException {
        // given: the sandbox answers 404 for serials outside its inventory; the limit is checked
        // after each chunk (200 rows)
        Path file = sheet(450, "NOTINV-");

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(result.message()).contains("more than the 3 allowed");
        assertThat(result.summary().count("REJECTED")).isGreaterThan(3).isLessThanOrEqualTo(200);
        assertThat(result.summary().count("VALID")).isGreaterThanOrEqualTo(250);
        assertThat(vendor.createdActions()).isEmpty();
    }

    @Test
    void restartByRunIdResumesTheRun() throws IOException {
        // given
        Path file = sheet(12, "RID-");
        RunResult canary = this.runs.run(RunRequest.of(file).withCanary(4L));

        // when
        RunResult restarted = this.runs.restart(canary.summary().runId());

        // then
        assertThat(restarted.summary().runId()).isEqualTo(canary.summary().runId());
        assertThat(restarted.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(createdPerSerial()).hasSize(12).allSatisfy((serial, n) -> assertThat(n).isEqualTo(1L));
        assertThat(this.runs.restart(987654).exitCode()).isEqualTo(ExitCodes.USAGE);
    }

}
