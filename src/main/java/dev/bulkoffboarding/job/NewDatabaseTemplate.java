package dev.bulkoffboarding.job;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * A new H2 file database made from the fast-start launcher's template instead of by Flyway: an empty
 * database that the same jar migrated when the launcher was prepared ({@code prepare-fast-start.sh}
 * passes its path as the system property {@value #PROPERTY}). Building Flyway and applying every
 * migration to a new database takes about 0.3 s of a command's start on Java 17; copying the template
 * takes a millisecond, and the schema check of {@code SchemaAtStart} then finds every migration of the
 * jar applied. The schema history shows when the template was migrated.
 * <p>
 * Only where the result is the database Flyway would have made: the database file does not exist, the
 * URL's settings do not change what the file holds (no {@code CIPHER}, {@code MODE} or
 * {@code IFEXISTS}, for example), the credentials are the template's ({@code sa}, no password), and
 * Flyway has no settings but its default locations. Otherwise, or if the copy fails, nothing is done
 * and Flyway creates the database as usual. The copy is written privately beside the database and
 * linked into place, so a database another process created meanwhile is never replaced.
 */
final class NewDatabaseTemplate {

    /** The system property the launcher sets: the template's {@code .mv.db} file. */
    static final String PROPERTY = "bulk-offboarding.new-database";

    private static final Log logger = LogFactory.getLog(NewDatabaseTemplate.class);

    /** Settings that only say how this process opens the file, not what the file holds. */
    private static final Set<String> OPENING_SETTINGS = Set.of("AUTO_SERVER", "AUTO_SERVER_PORT", "WRITE_DELAY",
            "LOCK_TIMEOUT", "DB_CLOSE_DELAY", "DB_CLOSE_ON_EXIT", "MAX_COMPACT_TIME", "TRACE_LEVEL_FILE",
            "TRACE_LEVEL_SYSTEM_OUT");

    private static final ConfigurationPropertyName FLYWAY = ConfigurationPropertyName.of("spring.flyway");

    private static final Set<ConfigurationPropertyName> FLYWAY_AS_THE_TEMPLATE = Set
        .of(ConfigurationPropertyName.of("spring.flyway.enabled"), ConfigurationPropertyName.of("spring.flyway.locations"));

    private static final String LOCATIONS = "classpath:db/migration";

    private final Path template;

    NewDatabaseTemplate(Path template) {
        this.template = template;
    }

    /** The launcher's template, or {@code null} without one. */
    static NewDatabaseTemplate fromSystemProperty() {
        String template = System.getProperty(PROPERTY);
        return (template != null && !template.isBlank()) ? new NewDatabaseTemplate(Path.of(template)) : null;
    }

    /**
     * Makes the database of the given base path ({@code ./data/bulk-offboarding}) from the template
     * if it does not exist and would be the same as Flyway's; its folder must exist.
     * @return whether it did
     */
    boolean copyIfNew(Path database, String url, String username, String password, Environment environment) {
        Path file = Path.of(database + ".mv.db");
        if (Files.exists(file) || Files.exists(Path.of(database + ".h2.db")) || !Files.isRegularFile(this.template)
                || !"sa".equalsIgnoreCase(username) || !password.isEmpty() || !opensOnly(url)
                || !flywayAsTheTemplate(environment)) {
            return false;
        }
        Path directory = file.toAbsolutePath().getParent();
        Path copy = null;
        try {
            copy = Files.createTempFile(directory, ".new-database-", ".tmp");
            try (InputStream in = Files.newInputStream(this.template);
                    FileChannel out = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                in.transferTo(Channels.newOutputStream(out));
                out.force(true);
            }
            // Fails if the database exists by now: a link, unlike a rename, never replaces it.
            Files.createLink(file, copy);
            logger.debug("Made the new database from the launcher's template");
            return true;
        }
        catch (IOException | UnsupportedOperationException | SecurityException ex) {
            logger.debug("Did not make the new database from the launcher's template (" + ex.getClass().getName()
                    + "): Flyway creates it");
            return false;
        }
        finally {
            if (copy != null) {
                try {
                    Files.deleteIfExists(copy);
                }
                catch (IOException ex) {
                    logger.debug("Could not delete " + copy.getFileName() + " (" + ex.getClass().getName() + ")");
                }
            }
        }
    }

    /** Whether the URL's settings, if any, only say how to open the file. */
    static boolean opensOnly(String url) {
        String[] parts = url.split(";");
        for (int i = 1; i < parts.length; i++) {
            String setting = parts[i].strip();
            int equals = setting.indexOf('=');
            String name = ((equals >= 0) ? setting.substring(0, equals) : setting).strip().toUpperCase(Locale.ROOT);
            if (!setting.isEmpty() && !OPENING_SETTINGS.contains(name)) {
                return false;
            }
        }
        return true;
    }

    /** Whether Flyway has no settings but those the template was migrated with. */
    static boolean flywayAsTheTemplate(Environment environment) {
        if (!environment.getProperty("spring.flyway.enabled", Boolean.class, true)
                || !LOCATIONS.equals(environment.getProperty("spring.flyway.locations", LOCATIONS).strip())) {
            return false;
        }
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            boolean other = iterable.stream()
                .anyMatch((name) -> FLYWAY.isAncestorOf(name) && !FLYWAY_AS_THE_TEMPLATE.contains(name));
            if (other) {
                return false;
            }
        }
        return true;
    }

}
