package dev.bulkoffboarding.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.SandboxVendor;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample sheet asks for 8 wipes. At a terminal the operator types that number or nothing is
 * sent; in a script the number comes with {@code --confirm-wipes}, or a scheduled import switches
 * the confirmation off.
 */
@ExtendWith(OutputCaptureExtension.class)
class WipeConfirmationCliIntegrationTests {

    static final String SAMPLE = "sample-data/offboarding-sample.csv";

    @AutoClose
    static final SandboxServer vendor = SandboxVendor.immediate();

    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        vendor.reset();
        Terminal.answers.clear();
        Terminal.prompts.clear();
    }

    Cli cli() {
        return new Cli(this.dir).vendor(vendor, "qk_test_wipes0123456789");
    }

    @Test
    void aScriptWithoutTheNumberSendsNothingAndSaysWhichNumberToGive(CapturedOutput output) {
        // when
        int exitCode = cli().run("run", SAMPLE);

        // then
        assertThat(exitCode).isEqualTo(2);
        assertThat(vendor.requests()).isEmpty();
        assertThat(output).contains("actions: Assign 4, Reassign 4, Retrieval 9, Store 10; wipes: 8; new recipients: 8")
            .contains("This run would wipe 8 device(s), and a wipe cannot be undone: nothing was sent.")
            .contains("--confirm-wipes 8")
            .containsPattern("Run 1 stopped: 0 submitted, .* \\(exit 2: nothing was done\\)");

        // when: the stopped run is resumed with the number
        int restarted = cli().run("restart", "1", "--confirm-wipes", "8");

        // then
        assertThat(restarted).isEqualTo(3);
        assertThat(output).containsPattern("Run 1 completed: 26 submitted, 6 need attention");
        assertThat(vendor.createdActions()).hasSize(26);
    }

    @Test
    void aScriptWithAnotherNumberSendsNothing(CapturedOutput output) {
        // when
        int exitCode = cli().run("run", SAMPLE, "--confirm-wipes", "7");

        // then
        assertThat(exitCode).isEqualTo(2);
        assertThat(output).contains("--confirm-wipes 7 does not match the 8 wipe(s) this run would send");
        assertThat(vendor.requests()).isEmpty();
    }

    @Test
    void aScheduledImportCanSwitchTheConfirmationOff(CapturedOutput output) {
        // when
        int exitCode = cli().with("--offboarding.wipes.require-confirmation=false").run("run", SAMPLE);

        // then: what will be sent is printed before the first request
        assertThat(exitCode).isEqualTo(3);
        assertThat(vendor.createdActions()).hasSize(26);
        String printed = output.toString();
        assertThat(printed).contains("Run 1 sends 27 device action(s): 8 wipe(s), 8 to new recipients");
        assertThat(printed.indexOf("sends 27 device action(s)")).isLessThan(printed.indexOf("Progress: "));
    }

    @Test
    void theOperatorTypesTheNumberOfWipesBeforeAnythingIsSent(CapturedOutput output) {
        // given
        Terminal.answers.add(" 8 ");

        // when
        int exitCode = cli().source(Terminal.class).run("run", SAMPLE);

        // then
        assertThat(Terminal.prompts).containsExactly(
                "This run will WIPE 8 device(s), which cannot be undone. Type 8 to send it, anything else to stop: ");
        assertThat(output).contains("is ready to send; nothing was sent yet.")
            .contains("wipes: 8; new recipients: 8")
            .containsPattern("Run \\d+ completed: 26 submitted");
        assertThat(output.toString().indexOf("ready to send")).isLessThan(output.toString().indexOf("26 submitted"));
        assertThat(exitCode).isEqualTo(3);
        assertThat(vendor.createdActions()).hasSize(26);
    }

    @Test
    void aWrongAnswerSendsNothing(CapturedOutput output) {
        // given
        Terminal.answers.add("yes");

        // when
        int exitCode = cli().source(Terminal.class).run("run", SAMPLE);

        // then
        assertThat(exitCode).isEqualTo(2);
        assertThat(output).contains("Nothing was sent: the answer was not 8.");
        assertThat(vendor.requests()).isEmpty();
    }

    /** A terminal whose operator gives the queued answers. */
    @Configuration(proxyBeanMethods = false)
    static class Terminal {

        static final List<String> answers = new ArrayList<>();

        static final List<String> prompts = new ArrayList<>();

        @Bean
        @Primary
        OperatorConsole interactiveTerminal() {
            return new OperatorConsole() {

                @Override
                public boolean interactive() {
                    return true;
                }

                @Override
                public String ask(String prompt) {
                    prompts.add(prompt);
                    return answers.isEmpty() ? null : answers.remove(0);
                }

            };
        }

    }

}
