package dev.bulkoffboarding.job;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Keeps the embedded database and the run locks readable by their owner only: the ledger holds
 * names, e-mail addresses, postal addresses and phone numbers.
 * <p>
 * Before any bean is created (so before the first connection makes H2 create its files), the
 * directory of an H2 file database and {@code offboarding.data-dir} are created, or tightened, to
 * {@code rwx------}; once the application has started, the database's own files are set to
 * {@code rw-------}. Files H2 creates later get the process's umask, but nobody else can reach
 * them through a directory only its owner may enter. Nothing is done on file systems without
 * POSIX permissions, nor for PostgreSQL or in-memory databases.
 */
@Component
class PrivateDataDirectory implements BeanFactoryPostProcessor, EnvironmentAware,
        ApplicationListener<ApplicationStartedEvent> {

    static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private static final Log logger = LogFactory.getLog(PrivateDataDirectory.class);

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        if (Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
            // the build preparing the context ahead of time (BuildTimeContext): no folders of the build's own
            return;
        }
        for (Path directory : directories()) {
            makePrivate(directory);
        }
    }

    @Override
    public void onApplicationEvent(ApplicationStartedEvent event) {
        databaseFile(this.environment.getProperty("spring.datasource.url")).ifPresent(PrivateDataDirectory::makeFilesPrivate);
    }

    private List<Path> directories() {
        List<Path> directories = new ArrayList<>();
        databaseFile(this.environment.getProperty("spring.datasource.url"))
            .map((file) -> file.toAbsolutePath().getParent())
            .ifPresent(directories::add);
        directories.add(Path.of(this.environment.getProperty("offboarding.data-dir", "./data")).toAbsolutePath());
        return directories;
    }

    /**
     * The base path of an H2 file database ({@code ./data/bulk-offboarding} for
     * {@code jdbc:h2:file:./data/bulk-offboarding;AUTO_SERVER=TRUE}), or empty for any other URL.
     */
    static Optional<Path> databaseFile(String url) {
        if (url == null || !url.regionMatches(true, 0, "jdbc:h2:", 0, 8)) {
            return Optional.empty();
        }
        String name = url.substring(8);
        int options = name.indexOf(';');
        if (options >= 0) {
            name = name.substring(0, options);
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("file:")) {
            name = name.substring(5);
        }
        else if (lower.matches("^[a-z]{2,}:.*")) {
            // mem:, tcp:, ssl:, zip:, ...: no local database file of ours
            return Optional.empty();
        }
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (name.startsWith("~")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        return Optional.of(Path.of(name));
    }

    static void makePrivate(Path directory) {
        if (!POSIX) {
            return;
        }
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
            }
            Files.setPosixFilePermissions(directory, OWNER_DIRECTORY);
        }
        catch (IOException | UnsupportedOperationException | SecurityException ex) {
            logger.warn("Could not make " + directory + " readable by its owner only (" + ex.getMessage()
                    + "): it holds personal data; restrict it by hand.");
        }
    }

    static void makeFilesPrivate(Path databaseFile) {
        Path directory = databaseFile.toAbsolutePath().getParent();
        if (!POSIX || directory == null || !Files.isDirectory(directory)) {
            return;
        }
        String base = databaseFile.getFileName().toString() + ".";
        try (Stream<Path> files = Files.list(directory)) {
            files.filter((file) -> file.getFileName().toString().startsWith(base) && Files.isRegularFile(file))
                .forEach((file) -> {
                    try {
                        Files.setPosixFilePermissions(file, OWNER_FILE);
                    }
                    catch (IOException | UnsupportedOperationException ex) {
                        logger.warn("Could not make " + file + " readable by its owner only: " + ex.getMessage());
                    }
                });
        }
        catch (IOException ex) {
            logger.warn("Could not list " + directory + ": " + ex.getMessage());
        }
    }

}
