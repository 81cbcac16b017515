package dev.bulkoffboarding.job;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;

import dev.bulkoffboarding.input.InputOptions;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How a run behaves. Every property is documented in the README's configuration table.
 *
 * @param reportsDir where each run's reports go ({@code <reportsDir>/<run id>/})
 * @param dataDir where run locks are kept (beside the embedded database)
 * @param chunkSize rows per chunk when submitting: outcomes are committed and progress is
 * reported once per chunk
 * @param stageChunkSize rows per transaction when staging (reading and validating the file)
 * @param maxInvalidRatio share of invalid rows above which a file is refused before any request
 * @param maxRejected rows the vendor may reject before the run stops (a systemic problem, such as
 * the wrong company's file, shows up as many rejections); negative means no limit
 * @param dedupWindow how far back an earlier run's submission makes a row ALREADY_SUBMITTED
 * @param progressInterval how often a long run prints its progress line
 * @param input limits and encoding of input files
 * @param wipes how wipes are confirmed before a run sends them
 * @param preflight how devices are checked with the vendor before the first request
 */
@ConfigurationProperties("offboarding")
public record OffboardingProperties(@DefaultValue("./reports") Path reportsDir, @DefaultValue("./data") Path dataDir,
        @DefaultValue("200") int chunkSize, @DefaultValue("2000") int stageChunkSize,
        @DefaultValue("0.2") double maxInvalidRatio,
        @DefaultValue("100") int maxRejected, @DefaultValue("30d") Duration dedupWindow,
        @DefaultValue("10s") Duration progressInterval, @DefaultValue Input input, @DefaultValue Wipes wipes,
        @DefaultValue Preflight preflight) {

    /**
     * Before its first request, a run asks the vendor about its devices: is the serial in the
     * inventory (and with whom), is an action already open for it. See {@link PreflightTasklet}.
     *
     * @param enabled whether {@code run} checks before sending ({@code validate --online} always does)
     * @param closedStatuses device-action statuses that are over (compared ignoring case); every
     *     other status counts as open. The vendor documents only "In Progress", so this is a list
     *     to adjust, not a fact
     * @param actionsLookback device actions created longer ago than this are not looked at: an
     *     action open for longer is rare, and listing the whole history would cost more requests
     * @param batchSize devices looked up together: memory stays bounded whatever the file's size
     */
    public record Preflight(@DefaultValue("true") boolean enabled,
            @DefaultValue({ "Completed", "Complete", "Delivered", "Done", "Closed", "Cancelled", "Canceled",
                    "Rejected", "Failed" }) java.util.List<String> closedStatuses,
            @DefaultValue("365d") Duration actionsLookback, @DefaultValue("5000") int batchSize) {
    }

    /** Where a run's reports are (results, failures, summary): {@code <reportsDir>/<run id>/}. */
    public Path reportDirectory(long runId) {
        return this.reportsDir.resolve(Long.toString(runId));
    }

    /**
     * Wipes cannot be undone: by default a run that would send any stops before its first request
     * until the operator confirms their number (see {@link WipeConfirmation}).
     *
     * @param requireConfirmation {@code false} for scheduled imports, where nobody is there to
     * confirm; an expected number given on the command line is still checked
     */
    public record Wipes(@DefaultValue("true") boolean requireConfirmation) {
    }

    /**
     * Limits of an input file; each is reported with the file and line that broke it.
     *
     * @param encoding the file's encoding; unset means UTF-8, or windows-1252 when the file is not
     * valid UTF-8
     * @param maxFileSize the largest file accepted
     * @param maxFieldLength the longest cell accepted, in characters, except in the notes column
     * @param maxColumns the most columns accepted
     * @param maxRows the most records accepted
     * @param maxNotesLength the longest notes cell accepted, in characters
     * @param maxLinesPerCell the most lines one cell may span: a quote that swallows the rows below
     * it is told from a multi-line address or note by this
     */
    public record Input(Charset encoding, @DefaultValue("1GB") DataSize maxFileSize,
            @DefaultValue("10000") int maxFieldLength, @DefaultValue("200") int maxColumns,
            @DefaultValue("2000000") long maxRows, @DefaultValue("200000") int maxNotesLength,
            @DefaultValue("100") int maxLinesPerCell) {

        /** How the input feature reads a file under these limits. */
        public InputOptions options() {
            return new InputOptions(encoding, maxFileSize.toBytes(), maxFieldLength, maxColumns, maxRows,
                    maxNotesLength, maxLinesPerCell);
        }

    }

}
