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
 * What an operator sees of "one device, one action" at the terminal: the held line and what to do
 * about it, {@code devices}, and {@code devices release}, which asks for {@code --force} when the
 * holding run may already have reached Quipteams.
 */
@ExtendWith(OutputCaptureExtension.class)
class DevicesCliIntegrationTests {

    static final String HEADER = "serial_number,action_type,current_user_name,current_user_email\n";

    @AutoClose
    final SandboxServer vendor = SandboxVendor.immediate();

    @TempDir
    Path dir;

    @Test
    void aHeldDeviceIsExplainedListedAndReleasedOnlyOnPurpose(CapturedOutput output) throws Exception {
        // given: run 1 could not send X (the vendor kept failing for it)
        Cli cli = new Cli(this.dir).vendor(this.vendor, FakeApiKeys.live()).with("--quipteams.max-attempts=2");
        String x = "C02" + Cli.uniquePrefix();
        this.vendor.makeUnavailable(x);
        Path original = file("original.csv", x + ",Store,Jane Roe,jane@acme.com");
        assertThat(cli.run("run", original.toString())).isEqualTo(1);

        // when: the edited file runs, and the operator looks at the devices
        Path edited = file("edited.csv", x + ",Store,Jane Roe,jane.roe@acme.com");
        int heldRun = cli.run("run", edited.toString());
        int listed = cli.run("devices");

        // then
        assertThat(heldRun).isEqualTo(1);
        assertThat(output).contains("other runs are still handling them (the lines below)");
        assertThat(output).contains("line 2: " + x + ": run 1 is still handling this device: finish run 1 "
                + "(`restart 1`) first")
            .contains("1 held by other runs");
        assertThat(listed).isZero();
        assertThat(output).containsPattern(x + "\\s+Store\\s+1\\s+2\\s+in progress");

        // when: a release without --force, then with it
        int refused = cli.run("devices", "release", x, "--action", "store");
        assertThat(refused).isEqualTo(2);
        assertThat(output).contains("Run 1 (line 2) may already have created a Store action for " + x)
            .contains("Nothing was released.");
        int released = cli.run("devices", "release", x.toLowerCase(), "--action", "store", "--force");

        // then: the edited file sends X once, and run 1 no longer would
        assertThat(released).isZero();
        assertThat(output).contains("Released " + x + " Store from run 1 (line 2, failed)");
        this.vendor.makeAvailable(x);
        assertThat(cli.run("run", edited.toString())).isZero();
        assertThat(cli.run("restart", "1")).isZero();
        assertThat(this.vendor.createdCount(x, "Store")).isEqualTo(1);
        assertThat(cli.run("devices")).isZero();
        assertThat(output).containsPattern(x + "\\s+Store\\s+2\\s+2\\s+submitted");
    }

    private Path file(String name, String row) throws Exception {
        Path file = this.dir.resolve(name);
        Files.writeString(file, HEADER + row + "\n", StandardCharsets.UTF_8);
        return file;
    }

}
