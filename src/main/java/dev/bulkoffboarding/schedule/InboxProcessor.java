package dev.bulkoffboarding.schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.bulkoffboarding.job.RunIdentity;
import dev.bulkoffboarding.job.RunService.RunRequest;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.job.Trigger;
import dev.bulkoffboarding.mail.RunNotifier;
import dev.bulkoffboarding.report.RunSummary;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;

/**
 * One pass over the inbox: every complete CSV file, oldest first, becomes a run exactly as
 * {@code run FILE} would make it, then moves to {@code archive/} or {@code failed/}. A file whose
 * content was already run completely is not run again; the inbox log says why.
 */
@Component
@ConditionalOnWebApplication
public class InboxProcessor implements ApplicationListener<ContextClosedEvent> {

    private static final Log logger = LogFactory.getLog(InboxProcessor.class);

    private static final String DONE = ".done";

    private final InboxFolder folder;

    private final InboxLog log;

    private final RunLookup lookup;

    private final BackgroundRuns background;

    private final RunNotifier notifier;

    private final Clock clock;

    private final String instance = ManagementFactory.getRuntimeMXBean().getName();

    private volatile boolean stopping;

    InboxProcessor(InboxFolder folder, InboxLog log, RunLookup lookup, BackgroundRuns background,
            RunNotifier notifier, Clock clock) {
        this.folder = folder;
        this.log = log;
        this.lookup = lookup;
        this.background = background;
        this.notifier = notifier;
        this.clock = clock;
    }

    /** The inbox folder. */
    public Path inboxDirectory() {
        return this.folder.properties().dir();
    }

    /** Makes the inbox folders, so that exporters can drop files before the first pass. */
    void prepare() {
        this.folder.ensureDirectories();
    }

    /** Processes every complete file in the inbox; call it with the scheduler lock held. */
    public Pass processInbox() {
        InboxProperties properties = this.folder.properties();
        this.folder.ensureDirectories();
        int processed = 0;
        // A file left in processing/ by a process that died: its run resumes where it stopped.
        for (Path leftover : this.folder.leftovers()) {
            if (this.stopping) {
                return new Pass(processed, 0);
            }
            resume(leftover);
            processed++;
        }
        Instant giveUpAt = this.clock.instant().plus(properties.maxWait());
        List<Path> incomplete;
        while (true) {
            Readiness readiness = properties.doneMarker() ? byMarker(InboxFolder.csvFiles(properties.dir()))
                    : byStability(InboxFolder.csvFiles(properties.dir()), properties, () -> this.stopping);
            for (Path file : readiness.complete()) {
                if (this.stopping) {
                    // the process is stopping: the rest waits in the inbox for the next start
                    return new Pass(processed, readiness.complete().size() + readiness.incomplete().size());
                }
                take(file);
                processed++;
            }
            incomplete = readiness.incomplete();
            if (this.stopping) {
                // not waiting up to max-wait for files still being written: the process is stopping
                return new Pass(processed, incomplete.size());
            }
            // Without markers, a file still being written is looked at again shortly; a missing
            // marker may never come, so those wait for the next pass.
            if (incomplete.isEmpty() || properties.doneMarker() || this.clock.instant().isAfter(giveUpAt)) {
                break;
            }
        }
        for (Path file : incomplete) {
            logger.info("Inbox: " + file.getFileName() + (properties.doneMarker() ? " has no " + DONE + " marker yet"
                    : " is still being written") + "; the next pass will look at it again.");
        }
        return new Pass(processed, incomplete.size());
    }

    /**
     * Closing the application stops the run in progress after its chunk (GracefulShutdown); this
     * keeps the pass from starting the next file meanwhile.
     */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        this.stopping = true;
    }

    private void take(Path file) {
        String name = file.getFileName().toString();
        Path working = this.folder.claim(file);
        deleteMarker(file);
        String sha256;
        try {
            sha256 = RunIdentity.sha256(working);
        }
        catch (IOException ex) {
            long id = this.log.received(name, "-".repeat(64), working, this.instance, this.clock.instant());
            reject(id, name, working, "Cannot read " + name + ": " + ex.getMessage());
            return;
        }
        long id = this.log.received(name, sha256, working, this.instance, this.clock.instant());
        run(id, name, working, sha256);
    }

    private void resume(Path working) {
        Optional<InboxFile> known = this.log.findByPath(working);
        try {
            String sha256 = RunIdentity.sha256(working);
            long id = known.map(InboxFile::id)
                .orElseGet(() -> this.log.received(working.getFileName().toString(), sha256, working, this.instance,
                        this.clock.instant()));
            String name = known.map(InboxFile::fileName).orElse(working.getFileName().toString());
            logger.info("Inbox: resuming " + name + ", left in processing/ by a process that stopped.");
            run(id, name, working, sha256);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + working, ex);
        }
    }

    private void run(long id, String name, Path working, String sha256) {
        try {
            Optional<Long> earlier = this.lookup.runOf(new RunIdentity(sha256, null));
            Optional<RunSummary> completed = this.background.completedRunOf(sha256);
            if (completed.isPresent()) {
                RunSummary previous = completed.get();
                String message = "identical to " + previous.fileName() + ", which run " + previous.runId()
                        + " already processed completely" + ((previous.finishedAt() != null)
                                ? " on " + previous.finishedAt().toString().substring(0, 10) : "")
                        + ": not run again";
                this.log.finish(id, InboxFile.Outcome.DUPLICATE, previous.runId(), this.folder.toArchive(working),
                        message, this.clock.instant());
                logger.info("Inbox: " + name + " is " + message + ".");
                this.notifier.fileNotRun(name, name + " is " + message + ".");
                return;
            }
            earlier.ifPresent((runId) -> this.log.runStarted(id, runId));
            logger.info("Inbox: running " + name + ".");
            RunResult result = this.background.runNow(RunRequest.of(working).triggeredBy(Trigger.SCHEDULE), earlier);
            InboxFile.Outcome outcome = this.folder.settle(id, working, result);
            logger.info("Inbox: " + name + " " + outcome.name().toLowerCase(Locale.ROOT)
                    + ((result.summary() != null) ? " (run " + result.summary().runId() + ")" : ": " + result.message()));
            if (outcome == InboxFile.Outcome.REJECTED) {
                this.notifier.fileNotRun(name, result.message());
            }
        }
        catch (RuntimeException ex) {
            logger.error("Inbox: " + name + " could not be run: " + ex.getMessage(), ex);
            reject(id, name, working, "could not be run: " + ex.getMessage());
        }
    }

    private void reject(long id, String name, Path working, String message) {
        Path moved = Files.exists(working) ? this.folder.toFailed(working) : working;
        this.log.finish(id, InboxFile.Outcome.REJECTED, null, moved, message, this.clock.instant());
        this.notifier.fileNotRun(name, message);
    }

    private void deleteMarker(Path file) {
        try {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + DONE));
        }
        catch (IOException ex) {
            logger.warn("Inbox: could not delete the marker of " + file.getFileName() + ": " + ex.getMessage());
        }
    }

    static Readiness byMarker(List<Path> files) {
        List<Path> complete = new ArrayList<>();
        List<Path> incomplete = new ArrayList<>();
        for (Path file : files) {
            (Files.exists(file.resolveSibling(file.getFileName() + DONE)) ? complete : incomplete).add(file);
        }
        return new Readiness(complete, incomplete);
    }

    /** Complete files are those whose size and modification time did not change between two looks. */
    static Readiness byStability(List<Path> files, InboxProperties properties) {
        return byStability(files, properties, () -> false);
    }

    /**
     * As {@link #byStability(List, InboxProperties)}, but a stop cuts the wait between the two looks
     * short; then no file counts as complete.
     */
    static Readiness byStability(List<Path> files, InboxProperties properties, BooleanSupplier stopping) {
        if (files.isEmpty()) {
            return new Readiness(List.of(), List.of());
        }
        Map<Path, Snapshot> first = new LinkedHashMap<>();
        files.forEach((file) -> first.put(file, Snapshot.of(file)));
        if (!sleepUnless(properties.stabilityInterval(), stopping)) {
            return new Readiness(List.of(), List.copyOf(files));
        }
        List<Path> complete = new ArrayList<>();
        List<Path> incomplete = new ArrayList<>();
        first.forEach((file, before) -> {
            Snapshot after = Snapshot.of(file);
            if (after == null) {
                return; // gone: renamed or taken away by whoever wrote it
            }
            (after.equals(before) ? complete : incomplete).add(file);
        });
        complete.sort(InboxFolder.OLDEST_FIRST);
        return new Readiness(complete, incomplete);
    }

    /**
     * Sleeps in short steps, so that a stopping serve is not held up by a long stability interval.
     * @return false when it woke up early because of {@code stopping} (or an interrupt)
     */
    private static boolean sleepUnless(java.time.Duration duration, BooleanSupplier stopping) {
        long deadline = System.nanoTime() + duration.toNanos();
        try {
            for (long left = duration.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                if (stopping.getAsBoolean()) {
                    return false;
                }
                Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
            }
            return !stopping.getAsBoolean();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * What a pass did.
     *
     * @param processed files that became a run, or were recorded as duplicates or rejected
     * @param waiting files left for a later pass because they were still being written
     */
    public record Pass(int processed, int waiting) {
    }

    record Readiness(List<Path> complete, List<Path> incomplete) {
    }

    private record Snapshot(long size, FileTime modified) {

        static Snapshot of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new Snapshot(attributes.size(), attributes.lastModifiedTime());
            }
            catch (IOException ex) {
                return null;
            }
        }

    }

}
