package dev.bulkoffboarding.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.support.ApplicationProcess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device-claim contract across processes on the default database: one H2 file, which the
 * first process to open it serves to the others ({@code AUTO_SERVER=TRUE}).
 */
class DeviceClaimsAcrossProcessesOnH2IntegrationTests extends DeviceClaimsAcrossProcessesIntegrationTests {

    @Override
    SharedDatabase database(Path dataDirectory) {
        return SharedDatabase.h2(dataDirectory);
    }

    @Test
    void aRunWhoseH2FileServerDiesMidRunFailsSendingNothingTwiceAndCompletesWhenRunAgain() throws Exception {
        // given: 'serve' opened the H2 file first, so it serves the file to a run started after it
        // (two runs started together are the same: the first to open the file serves it)
        List<Device> devices = devices("SRV", 120, "Store", "Retrieval");
        Path file = file("leavers.csv", rows(devices, "nightly export"));
        ApplicationProcess server = start("serve", "--server.port=0", "--offboarding.schedule.cron=-",
                "--offboarding.inbox.dir=" + this.dir.resolve("inbox"));
        awaitOutput(server, "Serving the review UI");
        this.vendor.setLatency(Duration.ofMillis(300));
        ApplicationProcess run = start("run", file.toString());
        awaitCreated(20, run);

        // when: the serving process is killed while the run is sending
        server.kill();
        this.vendor.setLatency(Duration.ofMillis(20));
        int exit = run.waitForExit(PROCESS_TIMEOUT);

        // then: the run lost its database in the middle of a chunk and failed
        assertThat(exit).as(run.output()).isEqualTo(ExitCodes.FAILED);

        // when: the same command is run again
        ApplicationProcess again = start("run", file.toString());
        int againExit = again.waitForExit(PROCESS_TIMEOUT);

        // then: it resumed the run, and the devices the failed chunk had sent were found, not resent
        assertThat(againExit).as(again.output()).isEqualTo(ExitCodes.OK);
        assertThat(again.output()).contains("by a process that no longer runs");
        long runId = runId(file);
        assertThat(rows(runId)).extracting(Row::state).containsOnly(RowState.SUBMITTED);
        assertEachDeviceCreatedOnceBySubmittingRow(devices, List.of(runId));
        assertThat(posts()).isEqualTo(devices.size());
    }

}
