package dev.bulkoffboarding.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Function;

import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.job.WipeConfirmation;

import org.springframework.stereotype.Component;

/**
 * Runs a file so that no wipe is sent unconfirmed. With {@code --confirm-wipes N} the run checks
 * that number itself. Without it, a run that would wipe devices stops before its first request
 * (see {@code GateTasklet}); at a terminal the operator then sees what the run would do and is
 * asked to type the number of wipes, and only that exact number resumes the run. Elsewhere the
 * stop stands (exit 2) and its message names the option.
 */
@Component
class WipeConfirmationPrompt {

    private final OperatorConsole operator;

    private final ConsoleReport console;

    WipeConfirmationPrompt(OperatorConsole operator, ConsoleReport console) {
        this.operator = operator;
        this.console = console;
    }

    int run(PrintWriter out, Long confirmWipes, Function<WipeConfirmation, RunResult> run) {
        if (confirmWipes != null) {
            return this.console.print(out, run.apply(WipeConfirmation.expecting(confirmWipes)));
        }
        RunResult result = run.apply(WipeConfirmation.none());
        if (result.wipesToConfirm() == null || result.summary() == null || !this.operator.interactive()) {
            return this.console.print(out, result);
        }
        long wipes = result.wipesToConfirm();
        this.console.printPlan(out, result.summary());
        String answer = this.operator.ask(String.format(Locale.ROOT, "This run will WIPE %d device(s), which cannot "
                + "be undone. Type %d to send it, anything else to stop: ", wipes, wipes));
        if (answer == null || !answer.strip().equals(Long.toString(wipes))) {
            out.printf(Locale.ROOT, "Nothing was sent: the answer was not %d. Run the same command again when the file "
                    + "is right.%n", wipes);
            out.flush();
            return ExitCodes.USAGE;
        }
        return this.console.print(out, run.apply(WipeConfirmation.expecting(wipes)));
    }

}
