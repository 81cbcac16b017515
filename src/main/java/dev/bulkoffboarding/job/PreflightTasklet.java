package dev.bulkoffboarding.job;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.bulkoffboarding.quipteams.InventoryLookup;
import dev.bulkoffboarding.quipteams.QuipteamsCallException;
import dev.bulkoffboarding.quipteams.RemoteDeviceAction;
import dev.bulkoffboarding.quipteams.SystemicFailureException;
import dev.bulkoffboarding.rows.DeviceClaims;
import dev.bulkoffboarding.rows.Ledger;
import dev.bulkoffboarding.rows.Ledger.PreflightOutcome;
import dev.bulkoffboarding.rows.LedgerRow;
import dev.bulkoffboarding.rows.RowState;
import dev.bulkoffboarding.rows.RunRecord;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.batch.core.step.tasklet.Tasklet;

/**
 * Asks the vendor what it knows about the run's devices before the first request: the step between
 * the gate and submit (and the last step of {@code validate --online}). For every VALID row that
 * was never sent:
 * <ul>
 * <li>an open action of the row's type for the device that no run of ours created (its id is not in
 * the ledger, and no run of ours claims the device): OPEN_ACTION_EXISTS, not sent;</li>
 * <li>a serial the inventory does not know, with any status: sent to the external-device endpoint
 * when the row describes the device (model, type, country), otherwise NOT_IN_INVENTORY, not
 * sent;</li>
 * <li>a holder in the inventory other than the row's current user: a warning on the row, which is
 * still sent.</li>
 * </ul>
 * Rows are looked up in batches ({@code offboarding.preflight.batch-size}) so memory stays bounded.
 * A vendor that cannot be read stops the run before anything is sent (restartable); nothing is
 * ever concluded from an answer we could not read. The step is not repeated by a restart once it
 * completed: what it decided is in the ledger.
 */
class PreflightTasklet implements Tasklet {

    static final String REQUESTS_KEY = "preflight.requests";

    private static final Log logger = LogFactory.getLog(PreflightTasklet.class);

    private final Ledger ledger;

    private final DeviceClaims claims;

    /** Built only when the preflight runs: a validation without --online never builds the vendor client. */
    private final Supplier<InventoryLookup> lookup;

    private final OffboardingProperties.Preflight properties;

    private final Clock clock;

    private final JsonMapper json;

    private final boolean enabled;

    private final Set<String> closedStatuses;

    PreflightTasklet(Ledger ledger, DeviceClaims claims, Supplier<InventoryLookup> lookup,
            OffboardingProperties.Preflight properties, Clock clock, JsonMapper json, boolean enabled) {
        this.ledger = ledger;
        this.claims = claims;
        this.lookup = lookup;
        this.properties = properties;
        this.clock = clock;
        this.json = json;
        this.enabled = enabled;
        this.closedStatuses = properties.closedStatuses()
            .stream()
            .map((status) -> status.strip().toLowerCase(Locale.ROOT))
            .collect(Collectors.toSet());
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        if (!this.enabled) {
            return RepeatStatus.FINISHED;
        }
        long runId = chunkContext.getStepContext().getStepExecution().getJobExecution().getJobInstanceId();
        RunRecord run = this.ledger.findRun(runId).orElseThrow();
        Tally tally = new Tally();
        long lastLine = 0;
        int batchSize = Math.max(1, this.properties.batchSize());
        while (true) {
            List<LedgerRow> batch = this.ledger.unsentValidAfter(runId, lastLine, batchSize);
            if (batch.isEmpty()) {
                break;
            }
            check(runId, run.sandbox(), batch, tally);
            lastLine = batch.get(batch.size() - 1).line();
            if (batch.size() < batchSize) {
                break;
            }
        }
        chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext()
            .putLong(REQUESTS_KEY, tally.requests);
        logger.info("Run " + runId + ": checked " + tally.devices + " device(s) with Quipteams in " + tally.requests
                + " request(s): " + tally.notInInventory + " not in the inventory, " + tally.openActions
                + " with an open action, " + tally.external + " to send as external devices, " + tally.holders
                + " held by someone else than the file says");
        return RepeatStatus.FINISHED;
    }

    private void check(long runId, boolean sandbox, List<LedgerRow> rows, Tally tally) {
        Set<String> serials = new LinkedHashSet<>();
        rows.forEach((row) -> serials.add(row.serialNumber()));
        Instant since = this.clock.instant().minus(this.properties.actionsLookback()).truncatedTo(ChronoUnit.SECONDS);
        InventoryLookup.Facts facts;
        try {
            facts = this.lookup.get().lookUp(serials, since);
        }
        catch (SystemicFailureException ex) {
            throw new RunStoppedException(ex.getMessage(), ex);
        }
        catch (QuipteamsCallException ex) {
            throw new RunStoppedException("Could not check the devices with Quipteams before sending, so nothing was "
                    + "sent: " + ex.getMessage() + ". Run the same command again (or set "
                    + "offboarding.preflight.enabled=false to send without checking).", ex);
        }
        tally.devices += serials.size();
        tally.requests += facts.requests();
        // read after the vendor's lists: an action of ours visible there was claimed before we looked
        Map<String, Set<String>> ours = this.ledger
            .knownVendorIds(rows.stream().map(LedgerRow::serialKey).distinct().toList());

        List<PreflightOutcome> stopped = new ArrayList<>();
        List<Long> external = new ArrayList<>();
        Map<Long, String> notices = new LinkedHashMap<>();
        for (LedgerRow row : rows) {
            Optional<RemoteDeviceAction> open = openActionNotOurs(row, facts.actionsOf(row.serialNumber()), ours);
            if (open.isPresent() && !claimedByAnotherRun(runId, sandbox, row)) {
                RemoteDeviceAction action = open.get();
                stopped.add(new PreflightOutcome(row.line(), RowState.OPEN_ACTION_EXISTS, action.actionId(),
                        action.status(), openActionMessage(row, action)));
                tally.openActions++;
                continue;
            }
            List<InventoryLookup.Asset> assets = facts.assetsOf(row.serialNumber());
            if (assets.isEmpty()) {
                if (row.externalRequestBody() != null) {
                    external.add(row.line());
                    tally.external++;
                }
                else {
                    stopped.add(new PreflightOutcome(row.line(), RowState.NOT_IN_INVENTORY, null, null,
                            notInInventoryMessage(row)));
                    tally.notInInventory++;
                }
                continue;
            }
            String holderNotice = holderNotice(row, assets);
            if (holderNotice != null) {
                notices.put(row.line(), holderNotice);
                tally.holders++;
            }
        }
        this.ledger.markPreflightOutcomes(runId, stopped);
        this.ledger.markExternalDevices(runId, external);
        this.ledger.recordNotices(runId, notices);
    }

    /** The newest open action of this row's type for its device (serial compared whole) that is not ours. */
    private Optional<RemoteDeviceAction> openActionNotOurs(LedgerRow row, List<RemoteDeviceAction> actions,
            Map<String, Set<String>> ours) {
        Set<String> ourIds = ours.getOrDefault(row.serialKey() + "|" + row.actionType(), Set.of());
        return actions.stream()
            .filter((action) -> action.matches(row.serialNumber(), row.actionType()))
            .filter((action) -> action.status() == null
                    || !this.closedStatuses.contains(action.status().strip().toLowerCase(Locale.ROOT)))
            .filter((action) -> action.id() == null || !ourIds.contains(action.id()))
            .max(java.util.Comparator.comparing(RemoteDeviceAction::createdAt,
                    java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
    }

    /**
     * Whether another run of ours has this device's claim: it is sending it, or sent it, and the
     * vendor's action may be that run's before its id is recorded. The claim decides then (HELD,
     * ALREADY_SUBMITTED), as without a preflight.
     */
    private boolean claimedByAnotherRun(long runId, boolean sandbox, LedgerRow row) {
        return this.claims.find(row.serialKey(), row.actionType(), sandbox)
            .filter((claim) -> claim.runId() != runId)
            .isPresent();
    }

    private static String openActionMessage(LedgerRow row, RemoteDeviceAction action) {
        String id = (action.actionId() != null) ? action.actionId() : action.id();
        return "Quipteams already has an open " + row.actionType() + " for this device that no run of ours created: "
                + "action " + id + ((action.actionId() != null && action.id() != null) ? " (" + action.id() + ")" : "")
                + ", status " + action.status() + ", created "
                + ((action.createdAt() == null) ? "at an unknown time" : action.createdAt().toString())
                + ". Nothing was sent: look at that action in Quipteams; if it is not what you want, close it "
                + "there and feed this row back";
    }

    private static String notInInventoryMessage(LedgerRow row) {
        return "serial " + row.serialNumber() + " is not in the Quipteams inventory (looked up with every status), "
                + "so nothing was sent. To send it as an external device, fill device_model, device_type and "
                + "device_country for this row (for example MacBook Pro 14, Laptop, Germany) and feed it back; or "
                + "add the device to the inventory in Quipteams first, or check the serial";
    }

    /** A warning when the inventory says someone else holds the device than the row's current user. */
    private String holderNotice(LedgerRow row, List<InventoryLookup.Asset> assets) {
        String name = currentUserName(row);
        if (name == null) {
            return null;
        }
        for (InventoryLookup.Asset asset : assets) {
            if (asset.employee() != null && sameName(asset.employee(), name)) {
                return null;
            }
        }
        for (InventoryLookup.Asset asset : assets) {
            if (asset.employee() != null && !asset.employee().isBlank()) {
                return "the Quipteams inventory says " + asset.employee() + " holds this device, the file says "
                        + name;
            }
        }
        // nobody named: in storage is a fact worth a warning; in use by someone unnamed is not
        for (InventoryLookup.Asset asset : assets) {
            if ("in_storage".equalsIgnoreCase(asset.status())) {
                return "the Quipteams inventory has this device in storage, held by nobody; the file says " + name;
            }
        }
        return null;
    }

    private String currentUserName(LedgerRow row) {
        if (row.requestBody() == null) {
            return null;
        }
        try {
            JsonNode body = this.json.readTree(row.requestBody());
            JsonNode name = body.path("current_user").path("name");
            return name.isString() ? name.stringValue() : null;
        }
        catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** Names compared ignoring case and how spaces are typed. */
    static boolean sameName(String a, String b) {
        return normalise(a).equals(normalise(b));
    }

    private static String normalise(String name) {
        return name.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    /** What the preflight found, for its log line. */
    private static final class Tally {

        long devices;

        long requests;

        long notInInventory;

        long openActions;

        long external;

        long holders;

    }

}
