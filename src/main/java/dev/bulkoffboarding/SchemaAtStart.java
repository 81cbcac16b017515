package dev.bulkoffboarding;

import java.io.IOException;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.migration.JavaMigration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.flyway.autoconfigure.FlywayProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.web.context.WebApplicationContext;

/**
 * Flyway at the start of a command-line tool: when the database already has every migration this jar
 * holds, and nothing else, there is nothing to migrate, and Flyway is not even built (its
 * configuration alone loads about 900 classes, Jackson 2 among them, on every start). One query of
 * the schema history decides. In every other case (a new or older database, a failed or unknown
 * migration, a history the query cannot read, Flyway settings beyond the locations), Spring Boot's
 * Flyway migrates and validates as usual. {@code serve} always runs Flyway in full, so checksums of
 * applied migrations are still validated by every {@code serve} start and every migrating start.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Flyway.class)
@ConditionalOnBooleanProperty(name = "spring.flyway.enabled", matchIfMissing = true)
class SchemaAtStart {

    private static final Log logger = LogFactory.getLog(SchemaAtStart.class);

    /** Replaces Spring Boot's (which backs off): same detection as a database initializer, same migration. */
    @Bean
    FlywayMigrationInitializer flywayInitializer(@Lazy Flyway flyway,
            ObjectProvider<FlywayMigrationStrategy> migrationStrategy, ObjectProvider<DataSource> dataSource,
            ObjectProvider<JavaMigration> javaMigrationBeans, Environment environment,
            ResourcePatternResolver resources, ApplicationContext context) {
        return new FlywayMigrationInitializer(flyway, migrationStrategy.getIfAvailable()) {

            @Override
            public void afterPropertiesSet() throws Exception {
                boolean commandLine = !(context instanceof WebApplicationContext);
                if (commandLine && javaMigrationBeans.stream().findAny().isEmpty()
                        && isCurrent(dataSource.getIfUnique(), environment, resources)) {
                    logger.debug("The database schema has every migration of this jar: Flyway is not started");
                    return;
                }
                super.afterPropertiesSet();
            }

        };
    }

    /**
     * Spring Boot makes every bean that uses the database depend on the Flyway bean as well as on its
     * initializer, so the Flyway bean would be built before the initializer could decide. The
     * initializer alone is enough: it builds Flyway (lazily) whenever it migrates. Unordered, this runs
     * after Spring Boot's own post-processor that adds those dependencies.
     */
    @Bean
    static BeanFactoryPostProcessor flywayBuiltByItsInitializerOnly() {
        return (beanFactory) -> {
            String[] flywayBeans = beanFactory.getBeanNamesForType(Flyway.class, true, false);
            for (String name : beanFactory.getBeanDefinitionNames()) {
                BeanDefinition definition = beanFactory.getBeanDefinition(name);
                String[] dependsOn = definition.getDependsOn();
                if (dependsOn != null && !Arrays.asList(flywayBeans).contains(name)) {
                    definition.setDependsOn(Arrays.stream(dependsOn)
                        .filter((dependency) -> !Arrays.asList(flywayBeans).contains(dependency))
                        .toArray(String[]::new));
                }
            }
        };
    }

    static boolean isCurrent(DataSource dataSource, Environment environment, ResourcePatternResolver resources) {
        if (dataSource == null) {
            return false;
        }
        FlywayProperties flyway = Binder.get(environment).bindOrCreate("spring.flyway", FlywayProperties.class);
        if (flyway.getUrl() != null || flyway.getUser() != null || !flyway.getSchemas().isEmpty()
                || flyway.getDefaultSchema() != null || (flyway.getTarget() != null
                        && !"latest".equalsIgnoreCase(flyway.getTarget()))) {
            return false;
        }
        Set<List<BigInteger>> inJar = migrationsInJar(flyway, resources);
        Set<List<BigInteger>> applied = appliedMigrations(dataSource, flyway.getTable());
        if (logger.isDebugEnabled()) {
            logger.debug("Migrations in the jar: " + inJar + "; applied: " + applied);
        }
        return inJar != null && !inJar.isEmpty() && inJar.equals(applied);
    }

    /** The versions of the migrations on the class path; {@code null} when they cannot be told for sure. */
    static Set<List<BigInteger>> migrationsInJar(FlywayProperties flyway, ResourcePatternResolver resources) {
        Pattern versioned = Pattern.compile(Pattern.quote(flyway.getSqlMigrationPrefix()) + "([0-9][0-9._]*)"
                + Pattern.quote(flyway.getSqlMigrationSeparator()) + "[^$]+");
        Set<List<BigInteger>> versions = new HashSet<>();
        try {
            for (String location : flyway.getLocations()) {
                if (!location.startsWith("classpath:")) {
                    return null;
                }
                String folder = location.substring("classpath:".length()).replaceAll("^/+|/+$", "");
                for (Resource resource : resources.getResources("classpath*:" + folder + "/**/*")) {
                    String name = resource.getFilename();
                    if (name == null || !resource.isReadable()) {
                        continue;
                    }
                    if (name.startsWith(flyway.getRepeatableSqlMigrationPrefix() + flyway.getSqlMigrationSeparator())) {
                        return null;
                    }
                    Matcher matcher = versioned.matcher(name);
                    boolean migration = name.endsWith(".class")
                            || flyway.getSqlMigrationSuffixes().stream().anyMatch(name::endsWith);
                    if (migration && matcher.lookingAt()) {
                        versions.add(version(matcher.group(1)));
                    }
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            return null;
        }
        return versions;
    }

    /** The versions applied successfully; {@code null} when a migration failed or the history cannot be read. */
    static Set<List<BigInteger>> appliedMigrations(DataSource dataSource, String table) {
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return null;
        }
        Set<List<BigInteger>> versions = new HashSet<>();
        try (Connection connection = dataSource.getConnection()) {
            if (!hasTable(connection, table)) {
                return null;
            }
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("select \"version\", \"success\", \"type\" from \""
                            + table + "\"")) {
                if (!add(rows, versions)) {
                    return null;
                }
            }
        }
        catch (SQLException | RuntimeException ex) {
            return null;
        }
        return versions;
    }

    /**
     * Whether an H2 database has the table: a query of a missing one would leave its stack trace in H2's
     * trace file beside the database ({@code bulk-offboarding.trace.db}) at every new database's start.
     */
    private static boolean hasTable(Connection connection, String table) throws SQLException {
        if (!"H2".equals(connection.getMetaData().getDatabaseProductName())) {
            return true;
        }
        try (ResultSet tables = connection.getMetaData().getTables(null, null, table, null)) {
            return tables.next();
        }
    }

    /** Adds the versions applied successfully; {@code false} if a migration failed or was deleted. */
    private static boolean add(ResultSet rows, Set<List<BigInteger>> versions) throws SQLException {
        while (rows.next()) {
            String version = rows.getString(1);
            if ("TABLE".equals(rows.getString(3))) {
                continue; // the history table's own row: "<< Flyway Schema History table created >>"
            }
            if (!rows.getBoolean(2) || version == null || "DELETE".equals(rows.getString(3))) {
                return false;
            }
            versions.add(version(version));
        }
        return true;
    }

    /** "1", "01", "1.0" and "1_0" are one version, as Flyway compares them. */
    static List<BigInteger> version(String text) {
        List<BigInteger> parts = new ArrayList<>();
        for (String part : text.split("[._]")) {
            parts.add(part.isEmpty() ? BigInteger.ZERO : new BigInteger(part));
        }
        while (parts.size() > 1 && parts.get(parts.size() - 1).signum() == 0) {
            parts.remove(parts.size() - 1);
        }
        return parts;
    }

}
