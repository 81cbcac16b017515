package dev.bulkoffboarding.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.job.RunEvidence;
import dev.bulkoffboarding.job.RunService;
import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.job.WipeConfirmation;
import dev.bulkoffboarding.quipteams.ApiMode;
import dev.bulkoffboarding.report.RunSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.springframework.stereotype.Component;

/** The command line: thin commands that call {@link RunService} and print what it says. */
@Component
@Command(name = "bulk-offboarding", mixinStandardHelpOptions = true, version = "bulk-offboarding 0.1.0",
        description = "Turns an offboarding spreadsheet into Quipteams device actions: one per valid row, never twice.",
        subcommands = { BulkOffboardingCommand.Run.class, BulkOffboardingCommand.Validate.class,
                BulkOffboardingCommand.Restart.class, BulkOffboardingCommand.Runs.class,
                BulkOffboardingCommand.Report.class, BulkOffboardingCommand.Template.class,
                BulkOffboardingCommand.Demo.class, DevicesCommand.class, TrackCommand.class, ServeCommand.class,
                WebhooksCommand.class },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:done: every row submitted (validate: every row valid)",
                "1:the run failed or some rows could not be sent yet: run the same command again",
                "2:usage error, unreadable file, missing column or unconfirmed wipes: nothing was sent",
                "3:finished, but some rows need a person (see failures.csv), or the file was refused" })
class BulkOffboardingCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        this.spec.commandLine().usage(this.spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code run FILE}. */
    @Component
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = { "Validate FILE, then submit one device action per valid row and write the reports.",
                    "Running a file again resumes its run if it failed or stopped; a completed run is not repeated.",
                    "A file that wipes devices stops before sending until their number is confirmed: typed at the "
                            + "prompt, or given with --confirm-wipes N." })
    static class Run implements Callable<Integer> {

        private final RunService runs;

        private final WipeConfirmationPrompt prompt;

        @Parameters(paramLabel = "FILE", description = "the CSV file")
        Path file;

        @Option(names = "--rerun", description = "run a file again although an earlier run of it completed")
        boolean rerun;

        @Option(names = "--label", paramLabel = "TEXT", description = "names a deliberate separate run of the same file")
        String label;

        @Option(names = "--no-dedup", description = "send rows even if an earlier run submitted the same device and action")
        boolean noDedup;

        @Option(names = "--canary", paramLabel = "N",
                description = "submit only the first N valid rows, then stop; run the file again to send the rest")
        Long canary;

        @Option(names = "--confirm-wipes", paramLabel = "N",
                description = "the number of devices this run wipes, confirmed in advance: needed when nobody is at "
                        + "a terminal to type it; a different number stops the run before it sends anything")
        Long confirmWipes;

        @Spec
        CommandSpec spec;

        Run(RunService runs, WipeConfirmationPrompt prompt) {
            this.runs = runs;
            this.prompt = prompt;
        }

        @Override
        public Integer call() {
            RunRequest asked = RunRequest.of(this.file)
                .startedBy(System.getProperty("user.name"))
                .withLabel(this.label)
                .withDedup(!this.noDedup)
                .withCanary(this.canary);
            RunRequest request = this.rerun ? asked.asRerun() : asked;
            return this.prompt.run(this.spec.commandLine().getOut(), this.confirmWipes,
                    (wipes) -> this.runs.run(request.withWipes(wipes)));
        }

    }

    /** {@code validate FILE}. */
    @Component
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = { "Check FILE (every row and the whole-file checks) without sending anything.",
                    "--online also asks Quipteams about every device (inventory, open actions): reads only." })
    static class Validate implements Callable<Integer> {

        private final RunService runs;

        private final ConsoleReport console;

        @Parameters(paramLabel = "FILE", description = "the CSV file")
        Path file;

        @Option(names = "--online",
                description = "also check every device with Quipteams: in the inventory? an action already open? "
                        + "(GET requests only; nothing is sent)")
        boolean online;

        @Spec
        CommandSpec spec;

        Validate(RunService runs, ConsoleReport console) {
            this.runs = runs;
            this.console = console;
        }

        @Override
        public Integer call() {
            RunResult result = this.runs.validate(this.file, this.online);
            PrintWriter out = this.spec.commandLine().getOut();
            if (result.summary() != null) {
                this.console.printProblems(out, result.summary().runId(), 200);
            }
            return this.console.print(out, result);
        }

    }

    /** {@code restart RUN_ID}. */
    @Component
    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Resume a failed or stopped run: only rows not final yet are processed.")
    static class Restart implements Callable<Integer> {

        private final RunService runs;

        private final WipeConfirmationPrompt prompt;

        @Parameters(paramLabel = "RUN_ID", description = "the run's id (see 'runs')")
        long runId;

        @Option(names = "--confirm-wipes", paramLabel = "N",
                description = "the number of devices the run still wipes, if it stopped to have them confirmed")
        Long confirmWipes;

        @Spec
        CommandSpec spec;

        Restart(RunService runs, WipeConfirmationPrompt prompt) {
            this.runs = runs;
            this.prompt = prompt;
        }

        @Override
        public Integer call() {
            return this.prompt.run(this.spec.commandLine().getOut(), this.confirmWipes,
                    (wipes) -> this.runs.restart(this.runId, wipes));
        }

    }

    /** {@code runs}. */
    @Component
    @Command(name = "runs", mixinStandardHelpOptions = true, description = "List past runs, newest first.",
            subcommands = PruneCommand.class)
    static class Runs implements Callable<Integer> {

        private final RunService runs;

        private final ConsoleReport console;

        @Option(names = "--limit", defaultValue = "20", description = "how many runs (default: ${DEFAULT-VALUE})")
        int limit;

        @Spec
        CommandSpec spec;

        Runs(RunService runs, ConsoleReport console) {
            this.runs = runs;
            this.console = console;
        }

        @Override
        public Integer call() {
            this.console.printRuns(this.spec.commandLine().getOut(), this.runs.runs(this.limit));
            return ExitCodes.OK;
        }

    }

    /** {@code report RUN_ID}. */
    @Component
    @Command(name = "report", mixinStandardHelpOptions = true, description = "Show a run's summary.")
    static class Report implements Callable<Integer> {

        private final RunService runs;

        private final ConsoleReport console;

        private final RunEvidence evidence;

        @Parameters(paramLabel = "RUN_ID", description = "the run's id (see 'runs')")
        long runId;

        @Option(names = "--failures", description = "also list the rows that need a person")
        boolean failures;

        @Option(names = "--evidence", description = "also write evidence.csv for auditors: per device sent, its "
                + "vendor action id, who started the run, how wipes were confirmed, each status with its time and "
                + "whether the wipe completed (run 'track' first for the latest state)")
        boolean writeEvidence;

        @Spec
        CommandSpec spec;

        Report(RunService runs, ConsoleReport console, RunEvidence evidence) {
            this.runs = runs;
            this.console = console;
            this.evidence = evidence;
        }

        @Override
        public Integer call() {
            PrintWriter out = this.spec.commandLine().getOut();
            var summary = this.runs.summary(this.runId);
            if (summary.isEmpty()) {
                this.spec.commandLine().getErr().println("There is no run " + this.runId + " (see 'runs').");
                return ExitCodes.USAGE;
            }
            if (this.failures) {
                this.console.printProblems(out, this.runId, Integer.MAX_VALUE);
            }
            RunSummary s = summary.get();
            this.console.print(out, new RunResult(s.exitCode(), s, s.message(), this.runs.reportDirectory(this.runId),
                    List.of()));
            if (this.writeEvidence) {
                var file = this.evidence.write(this.runId);
                if (file.isEmpty()) {
                    this.spec.commandLine().getErr().println("Run " + this.runId + " is a validation: it sent "
                            + "nothing, so there is no evidence to write.");
                    return ExitCodes.USAGE;
                }
                out.println("Evidence: " + file.get());
                out.flush();
            }
            return ExitCodes.OK;
        }

    }

    /** {@code template}. */
    @Component
    @Command(name = "template", mixinStandardHelpOptions = true,
            description = "Print (or write) an input template: the header and an example row.")
    static class Template implements Callable<Integer> {

        static final String CONTENT = String.join("\r\n",
                "serial_number,action_type,current_user_name,current_user_email,current_user_country,"
                        + "current_user_address,current_user_phone,new_recipient_name,new_recipient_email,wipe,notes,"
                        + "notification_emails",
                "C02X9876WXYZ,Store,John Doe,john@acme.com,United States,123 Main St,'+1-555-0100,,,true,"
                        + "Employee leaving March 15th,it@acme.com",
                "");

        @Option(names = { "-o", "--output" }, paramLabel = "FILE", description = "write the template to FILE")
        Path output;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (this.output != null) {
                Files.writeString(this.output, CONTENT);
                this.spec.commandLine().getOut().println("Template written to " + this.output);
            }
            else {
                this.spec.commandLine().getOut().print(CONTENT.replace("\r\n", System.lineSeparator()));
            }
            this.spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }

    }

    /** {@code demo}: what {@code ./mvnw spring-boot:run} runs. */
    @Component
    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = { "Run FILE (default: the sample sheet) through the built-in sandbox as a fresh run.",
                    "Refuses to run when QUIPTEAMS_API_KEY is set: a demo must never reach real devices,",
                    "which is also why its wipes need no confirmation.",
                    "Exits 0 when the run finished as a run should (its own exit code is printed)." })
    static class Demo implements Callable<Integer> {

        private final RunService runs;

        private final ConsoleReport console;

        private final ApiMode apiMode;

        @Parameters(paramLabel = "FILE", arity = "0..1", defaultValue = "sample-data/offboarding-sample.csv",
                description = "the CSV file (default: ${DEFAULT-VALUE})")
        Path file;

        @Spec
        CommandSpec spec;

        Demo(RunService runs, ConsoleReport console, ApiMode apiMode) {
            this.runs = runs;
            this.console = console;
            this.apiMode = apiMode;
        }

        @Override
        public Integer call() {
            PrintWriter out = this.spec.commandLine().getOut();
            if (!this.apiMode.sandbox()) {
                this.spec.commandLine().getErr().println("demo only runs against the built-in sandbox, and "
                        + "QUIPTEAMS_API_KEY is set: nothing was sent. Use 'run FILE' for real work.");
                return ExitCodes.USAGE;
            }
            // Every demo is a run of its own (a label per time) and ignores earlier demos, so that it
            // shows the whole job every time it is started, not only the first. Its wipes are confirmed
            // implicitly: it refused above to run unless requests go to the sandbox, where nothing is wiped.
            RunResult result = this.runs.run(RunRequest.of(this.file)
                .withLabel("demo " + java.time.Instant.now())
                .withDedup(false)
                .withWipes(WipeConfirmation.implicitly("demo against the built-in sandbox")));
            int exitCode = this.console.print(out, result);
            if (exitCode == ExitCodes.NEEDS_ATTENTION && result.summary() != null) {
                this.console.printProblems(out, result.summary().runId(), 20);
                out.println("The sample sheet has deliberate mistakes: a real run would exit 3 and list them in "
                        + "failures.csv. The demo itself went as expected.");
                out.flush();
                return ExitCodes.OK;
            }
            return exitCode;
        }

    }

}
