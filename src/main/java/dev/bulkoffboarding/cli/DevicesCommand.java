package dev.bulkoffboarding.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.job.OffboardingProperties;
import dev.bulkoffboarding.quipteams.ApiMode;
import dev.bulkoffboarding.rows.DeviceClaims.Claim;
import dev.bulkoffboarding.rows.DeviceClaims;
import dev.bulkoffboarding.rows.RowRules;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.rows.RowValidator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.springframework.stereotype.Component;

/**
 * {@code devices}: which devices runs are handling right now (each device and action type is
 * claimed by one row of one run, see {@link DeviceClaims}), and {@code devices release} for the
 * rare claim a person must free by hand.
 */
@Component
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = { "List the devices that runs are handling or have submitted recently: a device and action "
                + "type belongs to one run at a time, and other runs hold their rows for it (HELD).",
                "Finish the run that holds a device (restart it); release a device by hand only when that run "
                        + "will never be finished." },
        subcommands = DevicesCommand.Release.class)
class DevicesCommand implements Callable<Integer> {

    private final DeviceClaims claims;

    private final ApiMode apiMode;

    private final OffboardingProperties properties;

    private final Clock clock;

    @Spec
    CommandSpec spec;

    DevicesCommand(DeviceClaims claims, ApiMode apiMode, OffboardingProperties properties, Clock clock) {
        this.claims = claims;
        this.apiMode = apiMode;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        PrintWriter out = this.spec.commandLine().getOut();
        Instant since = this.clock.instant().minus(this.properties.dedupWindow());
        List<Claim> holding = this.claims.holding(since)
            .stream()
            .filter((claim) -> claim.sandbox() == this.apiMode.sandbox())
            .toList();
        if (holding.isEmpty()) {
            out.println("No run holds a device" + (this.apiMode.sandbox() ? " (sandbox)" : "") + ".");
            out.flush();
            return ExitCodes.OK;
        }
        out.printf(Locale.ROOT, "%-24s %-10s %-6s %-6s %-12s %s%n", "SERIAL", "ACTION", "RUN", "LINE", "STATE",
                "SINCE");
        for (Claim claim : holding) {
            out.printf(Locale.ROOT, "%-24s %-10s %-6d %-6d %-12s %s%n", claim.serialNumber(), claim.actionType(),
                    claim.runId(), claim.line(), describe(claim), claim.claimedAt().toString().substring(0, 19));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static String describe(Claim claim) {
        return switch (claim.state()) {
            case SUBMITTED -> "submitted";
            case UNCONFIRMED -> "unconfirmed";
            default -> "in progress";
        };
    }

    /** {@code devices release SERIAL --action TYPE}. */
    @Component
    @Command(name = "release", mixinStandardHelpOptions = true,
            description = { "Free a device and action type that a run holds, so that another run may send it.",
                    "Only for a run that will never be finished: restarting that run is the safe way. When the "
                            + "holding run may already have reached Quipteams, check the device there first and "
                            + "confirm with --force." })
    static class Release implements Callable<Integer> {

        private final DeviceClaims claims;

        private final ApiMode apiMode;

        private final RowRules rules;

        @Parameters(paramLabel = "SERIAL", description = "the device's serial number")
        String serialNumber;

        @Option(names = "--action", required = true, paramLabel = "TYPE",
                description = "the action type the run holds the device for, such as Store")
        String actionType;

        @Option(names = "--force", description = "release although the holding run may have created an action")
        boolean force;

        @Spec
        CommandSpec spec;

        Release(DeviceClaims claims, ApiMode apiMode, RowRules rules) {
            this.claims = claims;
            this.apiMode = apiMode;
            this.rules = rules;
        }

        @Override
        public Integer call() {
            PrintWriter out = this.spec.commandLine().getOut();
            PrintWriter err = this.spec.commandLine().getErr();
            String serialKey = RowValidator.serialKey(this.serialNumber);
            if (serialKey == null) {
                err.println("SERIAL must not be blank.");
                return ExitCodes.USAGE;
            }
            Optional<Claim> found = this.claims.find(serialKey, actionType(), this.apiMode.sandbox());
            if (found.isEmpty()) {
                out.printf(Locale.ROOT, "No run holds %s for %s: nothing to release.%n", this.serialNumber,
                        actionType());
                out.flush();
                return ExitCodes.OK;
            }
            Claim claim = found.get();
            if (claim.maybeSent() && !this.force) {
                err.printf(Locale.ROOT, "Run %d (line %d) may already have created a %s action for %s: look the "
                        + "device up in Quipteams first. If there is none, release it with --force; better, finish "
                        + "run %d ('restart %d'). Nothing was released.%n", claim.runId(), claim.line(),
                        claim.actionType(), claim.serialNumber(), claim.runId(), claim.runId());
                err.flush();
                return ExitCodes.USAGE;
            }
            this.claims.release(serialKey, claim.actionType(), this.apiMode.sandbox());
            out.printf(Locale.ROOT, "Released %s %s from run %d (line %d, %s). Another run may now send it.%n",
                    claim.serialNumber(), claim.actionType(), claim.runId(), claim.line(),
                    claim.state().name().toLowerCase(Locale.ROOT));
            if (claim.state().isPending() || claim.state() == RowState.UNCONFIRMED) {
                out.printf(Locale.ROOT, "If run %d is restarted, its line %d claims the device again first.%n",
                        claim.runId(), claim.line());
            }
            out.flush();
            return ExitCodes.OK;
        }

        /** The action type as the ledger spells it (Store, not store). */
        private String actionType() {
            String type = this.actionType.strip();
            return this.rules.actionTypes().stream().filter(type::equalsIgnoreCase).findFirst().orElse(type);
        }

    }

}
