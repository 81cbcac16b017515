package dev.bulkoffboarding.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import dev.bulkoffboarding.job.RunService.RunResult;
import dev.bulkoffboarding.schedule.Launch;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

/**
 * Uploaded files between their preflight and their run. The file stays on disk, readable by its
 * owner only (it holds personal data), because a restart of its run reads it again; an upload that
 * was never confirmed is deleted after a day.
 */
@Component
@ConditionalOnWebApplication
class Uploads {

    private static final Duration UNCONFIRMED_KEPT = Duration.ofDays(1);

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

    private final Path directory;

    private final Clock clock;

    Uploads(WebProperties properties, Clock clock) {
        this.directory = properties.uploadDir();
        this.clock = clock;
    }

    Upload store(String originalName, InputStream content) throws IOException {
        forgetOld();
        String id = UUID.randomUUID().toString();
        Path folder = this.directory.resolve(id);
        Files.createDirectories(folder);
        if (POSIX) {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        }
        Path file = folder.resolve(safeName(originalName));
        Files.copy(content, file, StandardCopyOption.REPLACE_EXISTING);
        Upload upload = new Upload(id, file, file.getFileName().toString(), this.clock.instant());
        this.uploads.put(id, upload);
        return upload;
    }

    Optional<Upload> find(String id) {
        return Optional.ofNullable(this.uploads.get(id));
    }

    /** Keeps the name readable in the runs list, but never a path or anything a shell would mind. */
    static String safeName(String originalName) {
        String normalised = (originalName == null) ? "" : originalName.replace('\\', '/');
        String name = normalised.substring(normalised.lastIndexOf('/') + 1);
        name = name.replaceAll("[^A-Za-z0-9._ -]", "_").replaceAll("^[.\\s]+", "").strip();
        if (name.isEmpty()) {
            name = "upload.csv";
        }
        return (name.length() > 120) ? name.substring(name.length() - 120) : name;
    }

    private void forgetOld() {
        Instant before = this.clock.instant().minus(UNCONFIRMED_KEPT);
        this.uploads.values().removeIf((upload) -> {
            if (upload.created().isAfter(before)) {
                return false;
            }
            if (upload.launch() == null) {
                deleteQuietly(upload.file().getParent());
            }
            return true;
        });
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach((path) -> {
                try {
                    Files.deleteIfExists(path);
                }
                catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            });
        }
        catch (IOException | UncheckedIOException ex) {
            // left for the operator; nothing depends on it
        }
    }

    /** One uploaded file. */
    static final class Upload {

        private final String id;

        private final Path file;

        private final String name;

        private final Instant created;

        private volatile RunResult preflight;

        private volatile Launch launch;

        Upload(String id, Path file, String name, Instant created) {
            this.id = id;
            this.file = file;
            this.name = name;
            this.created = created;
        }

        public String id() {
            return this.id;
        }

        Path file() {
            return this.file;
        }

        public String name() {
            return this.name;
        }

        Instant created() {
            return this.created;
        }

        RunResult preflight() {
            return this.preflight;
        }

        void preflight(RunResult result) {
            this.preflight = result;
        }

        Launch launch() {
            return this.launch;
        }

        synchronized boolean launch(java.util.function.Supplier<Launch> start) {
            if (this.launch != null) {
                return false;
            }
            this.launch = start.get();
            return true;
        }

    }

}
