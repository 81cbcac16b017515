package dev.bulkoffboarding.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.FakeApiKeys;
import dev.bulkoffboarding.support.SandboxVendor;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An expected stop (here: the key was revoked) reads as what it means and what to do, once, with no
 * stack trace and none of Spring Batch's chunk messages; {@code --debug} still shows everything.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExpectedStopCliIntegrationTests {

    @AutoClose
    final SandboxServer vendor = SandboxVendor.immediate();

    @TempDir
    Path dir;

    @Test
    void aRejectedKeyIsExplainedOnceWithoutStackTraces(CapturedOutput output) throws Exception {
        // given
        String key = FakeApiKeys.live();
        this.vendor.revokeKey(key);
        Cli cli = new Cli(this.dir).vendor(this.vendor, key);

        // when
        int exit = cli.run("run", file().toString());

        // then
        assertThat(exit).isEqualTo(1);
        String printed = output.getAll();
        assertThat(printed.split("API key rejected", -1)).hasSize(2);
        assertThat(printed).contains("check QUIPTEAMS_API_KEY")
            .doesNotContain("Rolling back chunk transaction")
            .doesNotContain(ExpectedStopFilterText.CHUNK_WRITE_FAILED)
            .doesNotContainPattern("\\n\\s+at [a-z]");
    }

    @Test
    void debugShowsWhatSpringBatchSaw(CapturedOutput output) throws Exception {
        // given
        String key = FakeApiKeys.live();
        this.vendor.revokeKey(key);
        Cli cli = new Cli(this.dir).vendor(this.vendor, key).with("--debug");

        // when
        int exit = cli.run("run", file().toString());

        // then
        assertThat(exit).isEqualTo(1);
        assertThat(output.getAll()).contains("Rolling back chunk transaction").containsPattern("\\n\\s+at [a-z]");
    }

    private Path file() throws Exception {
        Path file = this.dir.resolve("leavers.csv");
        Files.writeString(file, "serial_number,action_type,current_user_name,current_user_email\n"
                + "C02" + Cli.uniquePrefix() + ",Store,Jane Roe,jane@acme.com\n", StandardCharsets.UTF_8);
        return file;
    }

    /** The filter's text, as the console would show it. */
    private static final class ExpectedStopFilterText {

        static final String CHUNK_WRITE_FAILED = "Chunk write failed with an exception that cannot be skipped";

    }

}
