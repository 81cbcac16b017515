package dev.bulkoffboarding.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.sandbox.SandboxProperties;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.sandbox.SandboxServer.LoggedRequest;
import dev.bulkoffboarding.support.ApplicationProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two processes ({@code java -jar run}, each with its own database and file) on one API key,
 * against one vendor whose real limit is a fifth of what its headers advertise (a token bucket;
 * issue 15's 2 requests per second behind 600 per minute, scaled up fivefold). Neither knows of the
 * other: each learns the key's budget from the 429s. Asserts counts and outcomes, never time.
 */
class RateBudgetAcrossProcessesIntegrationTests {

    private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(4);

    private static final int REAL_PER_SECOND = 10;

    private static final int ROWS_PER_PROCESS = 150;

    @TempDir
    Path dir;

    private SandboxServer vendor;

    private final List<ApplicationProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        try {
            processes.forEach(ApplicationProcess::close);
        }
        finally {
            if (vendor != null) {
                vendor.close();
            }
        }
    }

    @Test
    void twoProcessesOnOneKeyKeep429sUnderTenPercentAndFailNoRow() throws IOException {
        // given
        vendor = SandboxServer.start(SandboxProperties.defaults()
            .withLatency(Duration.ofMillis(50))
            .withRequestsPerMinute(REAL_PER_SECOND * 60 * 5)
            .withRealLimit(REAL_PER_SECOND, REAL_PER_SECOND));

        // when
        ApplicationProcess first = start("a");
        ApplicationProcess second = start("b");
        int firstExit = first.waitForExit(PROCESS_TIMEOUT);
        int secondExit = second.waitForExit(PROCESS_TIMEOUT);

        // then: every device created once, no row failed, and few requests refused
        List<LoggedRequest> requests = vendor.requests();
        long refused = requests.stream().filter(request -> request.status() == 429).count();
        assertThat(firstExit).as(first.output()).isEqualTo(ExitCodes.OK);
        assertThat(secondExit).as(second.output()).isEqualTo(ExitCodes.OK);
        assertThat(vendor.createdActions()).hasSize(2 * ROWS_PER_PROCESS);
        assertThat(vendor.createdActions().stream()
            .collect(Collectors.groupingBy(SandboxServer.CreatedAction::serialNumber, Collectors.counting()))
            .values()).containsOnly(1L);
        assertThat(refused).as("429s among %d requests", requests.size()).isPositive();
        assertThat(refused * 10).as("429s among %d requests", requests.size()).isLessThan(requests.size());
    }

    private ApplicationProcess start(String name) throws IOException {
        StringBuilder csv = new StringBuilder("serial_number,action_type,current_user_name,current_user_email\n");
        for (int line = 1; line <= ROWS_PER_PROCESS; line++) {
            csv.append("RB-").append(name).append('-').append(line).append(",Store,Jo Leaver,jo.").append(name)
                .append(line).append("@acme.test\n");
        }
        Path file = Files.writeString(dir.resolve(name + ".csv"), csv, StandardCharsets.UTF_8);
        Path data = Files.createDirectories(dir.resolve("data-" + name));
        // no requests-per-minute: the pace follows the vendor, as by default
        List<String> arguments = List.of("run", file.toString(),
                "--spring.datasource.url=jdbc:h2:file:" + data.resolve("db").toAbsolutePath() + ";WRITE_DELAY=0",
                "--offboarding.data-dir=" + data, "--offboarding.reports-dir=" + dir.resolve("reports-" + name),
                "--quipteams.base-url=" + vendor.baseUri(), "--quipteams.max-in-flight=8",
                "--quipteams.initial-backoff=50ms", "--quipteams.max-backoff=1s",
                "--offboarding.wipes.require-confirmation=false");
        ApplicationProcess process = ApplicationProcess.start(dir, Map.of("QUIPTEAMS_API_KEY",
                SandboxServer.sandboxKey()), List.of(), arguments);
        processes.add(process);
        return process;
    }

}
