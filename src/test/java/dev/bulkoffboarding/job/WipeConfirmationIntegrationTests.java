package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.sandbox.SandboxServer;
import dev.bulkoffboarding.support.SandboxVendorTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wipe cannot be undone: a run that would send any stops before its first request until the
 * operator confirms their number, and only that number lets it go on.
 */
@SandboxVendorTest(properties = { "offboarding.wipes.require-confirmation=true", "quipteams.max-attempts=2",
        "quipteams.circuit-breaker-threshold=2" })
class WipeConfirmationIntegrationTests {

    @Autowired
    SandboxServer vendor;

    @Autowired
    RunService runs;

    @TempDir
    Path dir;

    private String prefix;

    @BeforeEach
    void reset() {
        vendor.reset();
        this.prefix = "W" + Long.toString(System.nanoTime(), 36).toUpperCase(java.util.Locale.ROOT) + "-";
    }

    /** Two wipes, one Store without a wipe, and an invalid wipe (which is never counted). */
    Path fileWithTwoWipes() throws IOException {
        Path file = this.dir.resolve(this.prefix + ".csv");
        Files.writeString(file, String.join("\n", "serial_number,action_type,current_user_name,current_user_email,wipe",
                this.prefix + "1,Store,Ann Lee,ann@acme.example,yes",
                this.prefix + "2,Retrieval,Bo Berg,bo@acme.example,true",
                this.prefix + "3,Store,Cy Dee,cy@acme.example,no", this.prefix + "4,Store,Di Eck,di@acme.example,maybe",
                this.prefix + "5,Store,Ed Fox,ed@acme.example,", ""), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void stopsBeforeTheFirstRequestUntilTheWipesAreConfirmed() throws IOException {
        // when
        RunResult result = this.runs.run(RunRequest.of(fileWithTwoWipes()));

        // then
        assertThat(vendor.requests()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.wipesToConfirm()).isEqualTo(2);
        assertThat(result.summary().status()).isEqualTo("STOPPED");
        assertThat(result.summary().exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.summary().wipes()).isEqualTo(2);
        assertThat(result.summary().count("VALID")).isEqualTo(4);
        assertThat(result.message()).contains("This run would wipe 2 device(s)", "nothing was sent",
                "--confirm-wipes 2", "offboarding.wipes.require-confirmation=false");
    }

    @Test
    void aWrongNumberSendsNothing() throws IOException {
        // when
        RunResult result = this.runs.run(RunRequest.of(fileWithTwoWipes()).withWipes(WipeConfirmation.expecting(3)));

        // then
        assertThat(vendor.requests()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.wipesToConfirm()).isEqualTo(2);
        assertThat(result.message()).contains("--confirm-wipes 3 does not match the 2 wipe(s) this run would send",
                "nothing was sent");
    }

    @Test
    void theConfirmedNumberResumesTheSameRunAndSendsEveryValidRow() throws IOException {
        // given
        Path file = fileWithTwoWipes();
        RunResult stopped = this.runs.run(RunRequest.of(file));

        // when
        RunResult confirmed = this.runs.run(RunRequest.of(file).withWipes(WipeConfirmation.expecting(2)));

        // then
        assertThat(confirmed.summary().runId()).isEqualTo(stopped.summary().runId());
        assertThat(confirmed.wipesToConfirm()).isNull();
        assertThat(confirmed.exitCode()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        assertThat(confirmed.summary().count("SUBMITTED")).isEqualTo(4);
        assertThat(vendor.createdActions()).hasSize(4);
        assertThat(vendor.createdActions()).filteredOn((action) -> action.body().contains("\"wipe\":true")).hasSize(2);
    }

    @Test
    void aRestartAfterConfirmationDoesNotAskAgain() throws IOException {
        // given: a confirmed run that the vendor's outage stopped half-way
        Path file = fileWithTwoWipes();
        vendor.outage(Duration.ofMinutes(5));
        RunResult failed = this.runs.run(RunRequest.of(file).withWipes(WipeConfirmation.expecting(2)));
        assertThat(failed.exitCode()).isEqualTo(ExitCodes.FAILED);
        vendor.outage(Duration.ZERO);

        // when: the same command without the number, as "run the same command again" may be typed
        RunResult resumed = this.runs.run(RunRequest.of(file));

        // then
        assertThat(resumed.summary().runId()).isEqualTo(failed.summary().runId());
        assertThat(resumed.wipesToConfirm()).isNull();
        assertThat(resumed.summary().count("SUBMITTED")).isEqualTo(4);
        assertThat(vendor.createdActions()).hasSize(4);
    }

    @Test
    void aFileWithoutWipesNeedsNoConfirmation() throws IOException {
        // given
        Path file = this.dir.resolve("no-wipes.csv");
        Files.writeString(file, "serial_number,action_type,current_user_name,current_user_email,wipe\n" + this.prefix
                + "1,Store,Ann Lee,ann@acme.example,no\n");

        // when
        RunResult result = this.runs.run(RunRequest.of(file));

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(vendor.createdActions()).hasSize(1);
    }

    @Test
    void expectingWipesThatTheFileDoesNotHaveSendsNothing() throws IOException {
        // given: the operator expects wipes, but this file requests none: probably the wrong file
        Path file = this.dir.resolve("no-wipes.csv");
        Files.writeString(file, "serial_number,action_type,current_user_name,current_user_email\n" + this.prefix
                + "1,Store,Ann Lee,ann@acme.example\n");

        // when
        RunResult result = this.runs.run(RunRequest.of(file).withWipes(WipeConfirmation.expecting(5)));

        // then
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.message()).contains("--confirm-wipes 5 does not match the 0 wipe(s)");
        assertThat(vendor.requests()).isEmpty();
    }

    @Test
    void anImplicitConfirmationSendsTheWipes() throws IOException {
        // when
        RunResult result = this.runs.run(
                RunRequest.of(fileWithTwoWipes()).withWipes(WipeConfirmation.implicitly("a test's own vendor")));

        // then
        assertThat(result.wipesToConfirm()).isNull();
        assertThat(result.summary().count("SUBMITTED")).isEqualTo(4);
    }

    @Test
    void validationNeverAsksAndShowsTheWipes() throws IOException {
        // when
        RunResult result = this.runs.validate(fileWithTwoWipes());

        // then
        assertThat(result.wipesToConfirm()).isNull();
        assertThat(result.exitCode()).isEqualTo(ExitCodes.NEEDS_ATTENTION);
        assertThat(result.summary().wipes()).isEqualTo(2);
        assertThat(vendor.requests()).isEmpty();
    }

}
