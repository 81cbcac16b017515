package dev.bulkoffboarding.schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.report.RunSummary;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

/**
 * The inbox's folders and the moves between them. A file is run from {@code processing/} under a
 * name of its own (nightly exports often have the same name every night), then moves to
 * {@code archive/} or {@code failed/}; the inbox log follows it.
 */
@Component
@ConditionalOnWebApplication
class InboxFolder {

    private static final Log logger = LogFactory.getLog(InboxFolder.class);

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
        .withZone(ZoneOffset.UTC);

    private final InboxProperties properties;

    private final InboxLog log;

    private final Clock clock;

    InboxFolder(InboxProperties properties, InboxLog log, Clock clock) {
        this.properties = properties;
        this.log = log;
        this.clock = clock;
    }

    InboxProperties properties() {
        return this.properties;
    }

    void ensureDirectories() {
        try {
            Files.createDirectories(this.properties.archive());
            Files.createDirectories(this.properties.failed());
            Files.createDirectories(this.properties.processing());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create the inbox folders in " + this.properties.dir(), ex);
        }
    }

    /**
     * Moves a complete file out of the inbox into a folder of its own in {@code processing/}, so that
     * no other pass takes it and its run keeps the file's own name.
     */
    Path claim(Path file) {
        Path folder = unique(this.properties.processing(), STAMP.format(this.clock.instant()));
        try {
            Files.createDirectories(folder);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create " + folder, ex);
        }
        return move(file, folder, file.getFileName().toString());
    }

    /** The files left in {@code processing/} by a process that stopped during their run. */
    List<Path> leftovers() {
        List<Path> files = new ArrayList<>();
        for (Path folder : entries(this.properties.processing(), Files::isDirectory)) {
            files.addAll(csvFiles(folder));
        }
        return files;
    }

    Path toArchive(Path file) {
        return moveOut(file, this.properties.archive());
    }

    Path toFailed(Path file) {
        return moveOut(file, this.properties.failed());
    }

    /** Moves a file to the archive or failed folder, its name prefixed with the time it was taken. */
    private Path moveOut(Path file, Path directory) {
        Path folder = file.getParent();
        boolean claimed = folder != null && this.properties.processing().equals(folder.getParent());
        String name = claimed ? folder.getFileName() + "-" + file.getFileName() : file.getFileName().toString();
        Path moved = move(file, directory, name);
        if (claimed) {
            try {
                Files.deleteIfExists(folder);
            }
            catch (IOException ex) {
                logger.debug("could not delete " + folder + ": " + ex.getMessage());
            }
        }
        return moved;
    }

    /** Moves a run's file on by its result, and records where it went and why. */
    InboxFile.Outcome settle(long logId, Path file, RunResult result) {
        RunSummary summary = result.summary();
        if (summary == null) {
            this.log.finish(logId, InboxFile.Outcome.REJECTED, null, toFailed(file), result.message(),
                    this.clock.instant());
            return InboxFile.Outcome.REJECTED;
        }
        boolean completed = "COMPLETED".equals(summary.status()) && result.exitCode() != ExitCodes.FAILED;
        InboxFile.Outcome outcome = completed ? InboxFile.Outcome.ARCHIVED : InboxFile.Outcome.FAILED;
        Path moved = completed ? toArchive(file) : toFailed(file);
        String message = completed ? "run " + summary.runId() + " completed" + attention(summary)
                : "run " + summary.runId() + " ended " + summary.status() + ((summary.message() != null)
                        ? ": " + summary.message() : "") + "; restart it to finish";
        this.log.finish(logId, outcome, summary.runId(), moved, message, this.clock.instant());
        if (completed) {
            // earlier copies of the same file whose run failed are done with too
            for (InboxFile earlier : this.log.failedFilesOfRun(summary.runId())) {
                Path copy = Path.of(earlier.currentPath());
                this.log.finish(earlier.id(), InboxFile.Outcome.ARCHIVED, summary.runId(),
                        Files.exists(copy) ? toArchive(copy) : copy, "run " + summary.runId()
                                + " completed with a later copy of this file", this.clock.instant());
            }
        }
        return outcome;
    }

    /** After a restart of a run whose file waits in {@code failed/}: moves it on once the run completed. */
    void settleRestarted(InboxFile file, RunResult result) {
        if (result.summary() != null) {
            settle(file.id(), Path.of(file.currentPath()), result);
        }
    }

    /** Oldest first by modification time (an unreadable file counts as oldest), then by name. */
    static final Comparator<Path> OLDEST_FIRST = Comparator.comparing(InboxFolder::modified)
        .thenComparing(Path::toString);

    /**
     * The CSV files directly in a folder (not in its sub-folders), oldest first. Symbolic links,
     * anything that resolves outside the folder and names with control characters or path tricks
     * are ignored and logged: whoever can write to the inbox must not be able to make the tool read
     * (and send, and report) a file from elsewhere.
     */
    static List<Path> csvFiles(Path directory) {
        return entries(directory, (file) -> {
            String name = file.getFileName().toString();
            if (name.startsWith(".") || !name.toLowerCase(Locale.ROOT).endsWith(".csv")) {
                return false;
            }
            String refusal = refusal(directory, file, name);
            if (refusal != null) {
                logger.warn("Inbox: ignoring " + printable(name) + ": " + refusal);
                return false;
            }
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
        });
    }

    /** Why a directory entry must not be taken, or {@code null} when it may. */
    static String refusal(Path directory, Path file, String name) {
        if (Files.isSymbolicLink(file)) {
            return "it is a symbolic link";
        }
        if (name.equals("..") || name.contains("/") || name.contains("\\")
                || name.chars().anyMatch((c) -> Character.isISOControl(c) || c == 0x202E || c == 0x2066
                        || c == 0x2067 || c == 0x2068 || c == 0x2069 || c == 0x202A || c == 0x202B || c == 0x202C
                        || c == 0x202D)) {
            return "its name has control characters or path tricks";
        }
        try {
            if (!file.toRealPath().getParent().equals(directory.toRealPath())) {
                return "it resolves outside the inbox";
            }
        }
        catch (IOException ex) {
            return "it cannot be resolved (" + ex.getClass().getSimpleName() + ")";
        }
        return null;
    }

    private static String printable(String name) {
        StringBuilder safe = new StringBuilder();
        name.codePoints().forEach((c) -> safe.append(Character.isISOControl(c) ? "?" : Character.toString(c)));
        return safe.toString();
    }

    /** The entries of a folder that pass {@code filter}, oldest first; none when it does not exist. */
    static List<Path> entries(Path directory, Predicate<Path> filter) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(filter).sorted(OLDEST_FIRST).toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot list " + directory, ex);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        }
        catch (IOException ex) {
            return FileTime.fromMillis(0);
        }
    }

    private static String attention(RunSummary summary) {
        long attention = summary.count("INVALID") + summary.count("DUPLICATE") + summary.count("REJECTED");
        return (attention > 0) ? " (" + attention + " rows need a person, see failures.csv)" : "";
    }

    private Path move(Path file, Path directory, String name) {
        Path target = unique(directory, name);
        try {
            try {
                return Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            }
            catch (AtomicMoveNotSupportedException ex) {
                return Files.move(file, target);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot move " + file + " to " + directory, ex);
        }
        finally {
            logger.debug("moved " + file + " to " + target);
        }
    }

    private static Path unique(Path directory, String name) {
        Path target = directory.resolve(name);
        int dot = name.lastIndexOf('.');
        String stem = (dot > 0) ? name.substring(0, dot) : name;
        String extension = (dot > 0) ? name.substring(dot) : "";
        for (int n = 2; Files.exists(target); n++) {
            target = directory.resolve(stem + "-" + n + extension);
        }
        return target;
    }

}
