package dev.bulkoffboarding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The fast start of a plain {@code java -jar bulk-offboarding.jar COMMAND}: a command-line tool is
 * over in seconds, and most of them go on loading, verifying and compiling classes. A JVM cannot be
 * given options by its jar, so this one (it has loaded nothing but this class) starts the command in
 * a second JVM that has the options a short-lived process wants, as {@code prepare-fast-start.sh}
 * does: the extracted jar, an archive of its classes (an AOT cache on Java 25 or newer, a class data
 * sharing archive before), the quick compiler only and the serial collector (G1 before Java 24).
 * Then it waits and ends with the command's exit code.
 * <p>
 * The extracted jar and the archive are kept per jar and JVM in the user's cache folder
 * ({@code $XDG_CACHE_HOME/bulk-offboarding} or {@code ~/.cache/bulk-offboarding}, owner-only). The
 * first command of a new jar extracts it (a few seconds, said on standard error); the first
 * {@code validate}, {@code run} or {@code demo} records the archive when it ends (the first {@code run}
 * or {@code demo} again over a {@code validate}'s, to hold the Quipteams client's classes too); every
 * later command starts from them.
 * <p>
 * Only a plain start does this: {@code serve} (it runs for days), a JVM given any option of its own
 * ({@code java -Xmx1g -jar ...}: the operator chose), a start from classes rather than the executable
 * jar (tests, {@code spring-boot:run}, the launcher of {@code prepare-fast-start.sh}), a system
 * without a writable cache folder, or {@code BULK_OFFBOARDING_FAST_START=off} run the command in
 * this JVM, as before. The second JVM inherits standard input, output, error and the environment; a
 * signal that ends this JVM ends the command the same way (its shutdown hooks run), and if this
 * JVM is killed outright, the command halts too, as if it had been killed with it.
 */
final class FastStart {

    /** Set on the second JVM: the process id of the JVM that started it. */
    static final String PARENT_PROPERTY = "bulk-offboarding.fast-start.parent";

    static final String SWITCH_VARIABLE = "BULK_OFFBOARDING_FAST_START";

    /**
     * The options of a short-lived JVM (as in prepare-fast-start.sh): the quick compiler only, and the
     * serial collector, or before Java 24 G1 and one compiler thread. Java 17 maps the JDK's archived
     * objects (its module graph, interned strings) only with G1, and builds them again with the serial
     * collector; its second compiler thread takes the main thread's core for most of a start.
     */
    static final List<String> SHORT_LIVED = (Runtime.version().feature() >= 24)
            ? List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
            : List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:+UseG1GC");

    /**
     * The commands whose classes make a good archive: the first of them records it. {@code --help} or
     * {@code runs} would record an archive of a few classes, which every later command would use.
     */
    static final Set<String> TRAINING_COMMANDS = Set.of("validate", "run", "demo");

    private static final String NESTED_JAR = "jar:nested:";

    /** How long an entry of an earlier build of the same jar is kept after its last start. */
    private static final Duration UNUSED_FOR = Duration.ofDays(1);

    private static final String MAIN_CLASS = "dev.bulkoffboarding.BulkOffboardingApplication";

    private FastStart() {
    }

    /**
     * Runs the command in a second JVM when this start is a plain {@code java -jar}.
     * @param args the command line
     * @return the command's exit code, or empty when the command is to run in this JVM
     */
    static OptionalInt run(String[] args) {
        String parent = System.getProperty(PARENT_PROPERTY);
        if (parent != null) {
            haltWithParent(Long.parseLong(parent));
            return OptionalInt.empty();
        }
        if ("off".equalsIgnoreCase(System.getenv(SWITCH_VARIABLE)) || BulkOffboardingApplication.serves(args)) {
            return OptionalInt.empty();
        }
        Optional<Path> jar = executableJar(
                String.valueOf(FastStart.class.getProtectionDomain().getCodeSource().getLocation()));
        if (jar.isEmpty() || !startedPlain()) {
            return OptionalInt.empty();
        }
        Optional<Path> cache = cacheFolder();
        if (cache.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            Optional<Path> extracted = extracted(jar.get(), cache.get());
            if (extracted.isEmpty()) {
                return OptionalInt.empty();
            }
            return OptionalInt.of(runChild(extracted.get(), args));
        }
        catch (IOException ex) {
            // The cache cannot be used (a full disk, say): the command runs as it always did.
            return OptionalInt.empty();
        }
    }

    /** The executable jar this class was loaded from, when it was ({@code jar:nested:/x.jar/!BOOT-INF/...}). */
    static Optional<Path> executableJar(String url) {
        int end = url.indexOf("/!BOOT-INF/");
        if (!url.startsWith(NESTED_JAR) || end < 0) {
            return Optional.empty();
        }
        Path jar = Path.of(url.substring(NESTED_JAR.length(), end));
        return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
    }

    /** Whether this JVM was started as {@code java -jar FILE ...} with no option before {@code -jar}. */
    private static boolean startedPlain() {
        Optional<String[]> arguments = ProcessHandle.current().info().arguments();
        return arguments.isPresent() && arguments.get().length >= 2 && "-jar".equals(arguments.get()[0])
                && System.getenv("JDK_JAVA_OPTIONS") == null && System.getenv("JAVA_TOOL_OPTIONS") == null;
    }

    /** The user's own cache folder for the fast start, owner-only; empty when there is none to write. */
    private static Optional<Path> cacheFolder() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        String home = System.getProperty("user.home");
        Path base = (xdg != null && !xdg.isBlank()) ? Path.of(xdg)
                : (home != null && !home.isBlank() && !"?".equals(home)) ? Path.of(home, ".cache") : null;
        if (base == null || !base.isAbsolute()) {
            return Optional.empty();
        }
        Path folder = base.resolve("bulk-offboarding");
        try {
            Files.createDirectories(base);
            if (!Files.isDirectory(folder)) {
                try {
                    Files.createDirectory(folder,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
                catch (UnsupportedOperationException ex) {
                    Files.createDirectory(folder);
                }
                catch (FileAlreadyExistsException ex) {
                    // another command made it meanwhile
                }
            }
            // Someone else's or a shared folder would let others put classes into our JVM.
            if (!Files.isWritable(folder) || !ownedByMeOnly(folder)) {
                return Optional.empty();
            }
            return Optional.of(folder);
        }
        catch (IOException | SecurityException ex) {
            return Optional.empty();
        }
    }

    private static boolean ownedByMeOnly(Path folder) throws IOException {
        try {
            String owner = Files.getOwner(folder).getName();
            String permissions = PosixFilePermissions.toString(Files.getPosixFilePermissions(folder));
            return owner.equals(System.getProperty("user.name")) && permissions.endsWith("------");
        }
        catch (UnsupportedOperationException ex) {
            return true;
        }
    }

    /**
     * The extracted jar of this jar and JVM, extracted now if it is not there yet (once: the folder's
     * name is a digest of the jar's path, size and time and of the JVM).
     */
    private static Optional<Path> extracted(Path jar, Path cache) throws IOException {
        Path real = jar.toRealPath();
        String source = real + "\n" + Files.size(real) + "\n" + Files.getLastModifiedTime(real).toMillis();
        String jvm = System.getProperty("java.home") + "\n" + System.getProperty("java.vm.version");
        Path entry = cache.resolve(digest(real.toString()).substring(0, 12) + "-" + digest(source + "\n" + jvm)
            .substring(4, 16));
        Path extracted = entry.resolve("app").resolve(real.getFileName().toString());
        if (Files.isRegularFile(extracted)) {
            Files.setLastModifiedTime(entry, FileTime.fromMillis(System.currentTimeMillis()));
            return Optional.of(extracted);
        }
        System.err.println("Preparing a faster start for this jar and Java (once, a few seconds): " + cache);
        removeUnusedEntriesOf(cache, entry);
        Files.createDirectories(entry);
        Path work = Files.createTempDirectory(entry, "extracting-");
        try {
            Process extraction = new ProcessBuilder(java(), "-Djarmode=tools", "-jar", real.toString(), "extract",
                    "--destination", work.resolve("app").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
            if (waitFor(extraction) != 0 || !Files.isRegularFile(work.resolve("app").resolve(extracted.getFileName()))) {
                return Optional.empty();
            }
            try {
                Files.move(work.resolve("app"), entry.resolve("app"), StandardCopyOption.ATOMIC_MOVE);
            }
            catch (IOException ex) {
                // another command extracted it at the same time: use theirs (checked below)
            }
            return Files.isRegularFile(extracted) ? Optional.of(extracted) : Optional.empty();
        }
        finally {
            deleteTree(work);
        }
    }

    /**
     * Removes the entries of the same jar path for an earlier build of it or another JVM that no
     * command has started from for a day. Not sooner: a long {@code run} started before a rebuild may
     * still open jars of its entry.
     */
    private static void removeUnusedEntriesOf(Path cache, Path entry) throws IOException {
        String jarPart = entry.getFileName().toString().substring(0, 13);
        long dayAgo = System.currentTimeMillis() - UNUSED_FOR.toMillis();
        try (Stream<Path> entries = Files.list(cache)) {
            for (Path other : entries.toList()) {
                if (!other.equals(entry) && other.getFileName().toString().startsWith(jarPart)
                        && Files.getLastModifiedTime(other).toMillis() < dayAgo) {
                    deleteTree(other);
                }
            }
        }
    }

    /**
     * Runs the command in the second JVM and records its archive when there is none yet.
     * @throws IOException only when the second JVM could not be started, so the command has not run
     */
    private static int runChild(Path extracted, String[] args) throws IOException {
        Path entry = extracted.getParent().getParent();
        int feature = Runtime.version().feature();
        Path archive = entry.resolve((feature >= 25) ? "classes.aot" : "classes.jsa");
        Path recording = null;
        List<String> command = new ArrayList<>();
        command.add(java());
        String name = BulkOffboardingApplication.command(args);
        Path recordedBy = entry.resolve(archive.getFileName() + ".command");
        if (Files.isRegularFile(archive) && !recordsBetter(name, recordedBy)) {
            command.add(((feature >= 25) ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + archive);
        }
        else if (TRAINING_COMMANDS.contains(name)) {
            recording = entry.resolve("recording-" + ProcessHandle.current().pid() + archive.getFileName());
            command.add(((feature >= 25) ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + recording);
        }
        // What the JVM says about the archive (classes it leaves out, say) is not the operator's business.
        command.add((feature >= 25) ? "-Xlog:cds*=off,aot*=off" : "-Xlog:cds*=off");
        command.addAll(SHORT_LIVED);
        command.add("-D" + PARENT_PROPERTY + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        command.add(extracted.toString());
        command.add(MAIN_CLASS);
        command.addAll(Arrays.asList(args));
        Process child = new ProcessBuilder(command).inheritIO().start();
        Thread forward = new Thread(() -> {
            // A signal that ends this JVM ends the command the same way, and waits for it.
            if (child.isAlive()) {
                child.destroy();
                waitFor(child);
            }
        }, "fast-start-shutdown");
        Runtime.getRuntime().addShutdownHook(forward);
        int exitCode = waitFor(child);
        // The command has run: nothing from here on may throw, or run() would run it again in this JVM.
        if (recording != null && keepRecording(recording, archive)) {
            noteRecordedBy(recordedBy, name);
        }
        return exitCode;
    }

    private static void noteRecordedBy(Path recordedBy, String command) {
        try {
            Files.writeString(recordedBy, command);
        }
        catch (IOException ex) {
            // without the note, a later run or demo keeps this archive rather than record a better one
        }
    }

    /**
     * Whether this command would record a better archive than the one there: a {@code run} or
     * {@code demo} uses the Quipteams client as well as everything a {@code validate} uses, so the first
     * of them records again over an archive of a {@code validate}.
     */
    private static boolean recordsBetter(String command, Path recordedBy) {
        try {
            return ("run".equals(command) || "demo".equals(command)) && Files.isRegularFile(recordedBy)
                    && "validate".equals(Files.readString(recordedBy).strip());
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static boolean keepRecording(Path recording, Path archive) {
        try {
            if (!Files.isRegularFile(recording) || Files.size(recording) == 0) {
                Files.deleteIfExists(recording);
                return false;
            }
            try {
                Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            catch (AtomicMoveNotSupportedException ex) {
                Files.move(recording, archive, StandardCopyOption.REPLACE_EXISTING);
            }
            return true;
        }
        catch (IOException ex) {
            return false; // the next command records it again
        }
    }

    /**
     * In the second JVM: halts when the JVM that started it is gone (killed outright, so its shutdown
     * hook could not end this one). Checked four times a second by a daemon thread.
     */
    static void haltWithParent(long parentPid) {
        Thread watch = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(250);
                }
                catch (InterruptedException ex) {
                    return;
                }
                boolean reparented = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) != parentPid;
                if (reparented || !ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false)) {
                    Runtime.getRuntime().halt(137);
                }
            }
        }, "fast-start-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    private static int waitFor(Process process) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                }
                catch (InterruptedException ex) {
                    interrupted = true;
                }
            }
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A 64-bit FNV-1a digest in hex: names a cache entry, without loading a security provider. */
    static String digest(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        String hex = Long.toHexString(hash);
        return "0".repeat(16 - hex.length()) + hex;
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
        catch (IOException | UncheckedIOException ex) {
            // left for the next command to overwrite or remove
        }
    }

}
