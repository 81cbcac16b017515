package dev.bulkoffboarding.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class NewDatabaseTemplateTests {

    private static final String DEFAULT_SETTINGS = ";AUTO_SERVER=TRUE;WRITE_DELAY=0";

    @TempDir
    Path dir;

    private Path templateFile;

    private NewDatabaseTemplate template;

    private Path database;

    @BeforeEach
    void migrateATemplate() throws Exception {
        // as prepare-fast-start.sh makes it: this jar's migrations on a new database, nothing else
        Path base = this.dir.resolve("template/new-database");
        Flyway.configure()
            .dataSource("jdbc:h2:file:" + base, "sa", "")
            .locations("classpath:db/migration")
            .load()
            .migrate();
        this.templateFile = Path.of(base + ".mv.db");
        this.template = new NewDatabaseTemplate(this.templateFile);
        this.database = Files.createDirectories(this.dir.resolve("data")).resolve("bulk-offboarding");
    }

    @Test
    void aNewDatabaseIsTheTemplateWithItsHistoryAndWithoutFlyway() throws Exception {
        // given
        String url = "jdbc:h2:file:" + this.database + DEFAULT_SETTINGS;
        DatabaseOpenedAhead ahead = new DatabaseOpenedAhead(this.template);

        // when: the database is opened ahead, as a command-line tool's start does
        ahead.onApplicationEvent(environmentPrepared(defaults(url)));
        ahead.awaitOpening();
        ahead.onApplicationEvent(new ApplicationStartedEvent(new SpringApplication(Object.class), new String[0],
                null, null));

        // then: every migration applied when the template was made, the file readable by its owner only
        assertThat(history(url)).hasSize(11).isEqualTo(history("jdbc:h2:file:" + this.templateFile.toString()
            .replace(".mv.db", "") + ";ACCESS_MODE_DATA=r"));
        assertThat(Files.getPosixFilePermissions(Path.of(this.database + ".mv.db")))
            .isEqualTo(PrivateDataDirectory.OWNER_FILE);
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*) from offboarding_row")) {
            rows.next();
            assertThat(rows.getInt(1)).isZero();
        }
        // and nothing is left of the copy beside it
        try (var files = Files.list(this.database.getParent())) {
            assertThat(files.map((file) -> file.getFileName().toString()))
                .allMatch((name) -> name.startsWith("bulk-offboarding."));
        }
    }

    @Test
    void anExistingDatabaseIsNeverReplaced() throws Exception {
        // given: a database of the user's, without Flyway's history
        String url = "jdbc:h2:file:" + this.database + DEFAULT_SETTINGS;
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement()) {
            statement.execute("create table mine (id int)");
        }

        // when
        boolean copied = this.template.copyIfNew(this.database, url, "sa", "", defaults(url));

        // then
        assertThat(copied).isFalse();
        assertThat(tables(url)).containsExactly("MINE");
    }

    @ParameterizedTest
    @ValueSource(strings = { ";MODE=PostgreSQL", ";CIPHER=AES", ";IFEXISTS=TRUE", ";DATABASE_TO_LOWER=TRUE",
            ";AUTO_SERVER=TRUE;NON_KEYWORDS=VALUE" })
    void settingsThatChangeTheDatabaseLeaveItToFlyway(String settings) {
        String url = "jdbc:h2:file:" + this.database + settings;

        assertThat(this.template.copyIfNew(this.database, url, "sa", "", defaults(url))).isFalse();
        assertThat(Path.of(this.database + ".mv.db")).doesNotExist();
    }

    @Test
    void settingsThatOnlySayHowToOpenItAreTheTemplates() {
        assertThat(NewDatabaseTemplate.opensOnly("jdbc:h2:file:./data/db")).isTrue();
        assertThat(NewDatabaseTemplate.opensOnly("jdbc:h2:file:./data/db;auto_server=true; WRITE_DELAY=0;")).isTrue();
        assertThat(NewDatabaseTemplate.opensOnly("jdbc:h2:file:./data/db;LOCK_TIMEOUT=5000;TRACE_LEVEL_FILE=0"))
            .isTrue();
        assertThat(NewDatabaseTemplate.opensOnly("jdbc:h2:file:./data/db;INIT=runscript from 'x.sql'")).isFalse();
    }

    @Test
    void otherCredentialsLeaveItToFlyway() {
        String url = "jdbc:h2:file:" + this.database + DEFAULT_SETTINGS;

        assertThat(this.template.copyIfNew(this.database, url, "operator", "", defaults(url))).isFalse();
        assertThat(this.template.copyIfNew(this.database, url, "sa", "secret", defaults(url))).isFalse();
        assertThat(Path.of(this.database + ".mv.db")).doesNotExist();
        // H2 takes user names in any case
        assertThat(this.template.copyIfNew(this.database, url, "SA", "", defaults(url))).isTrue();
    }

    @Test
    void flywaySettingsOfTheUsersLeaveItToFlyway() {
        String url = "jdbc:h2:file:" + this.database + DEFAULT_SETTINGS;

        assertThat(this.template.copyIfNew(this.database, url, "sa", "",
                defaults(url).withProperty("spring.flyway.table", "schema_history"))).isFalse();
        assertThat(this.template.copyIfNew(this.database, url, "sa", "",
                defaults(url).withProperty("spring.flyway.locations", "classpath:db/migration,filesystem:extra")))
            .isFalse();
        assertThat(this.template.copyIfNew(this.database, url, "sa", "",
                defaults(url).withProperty("spring.flyway.enabled", "false"))).isFalse();
        // a setting in the environment, as SPRING_FLYWAY_BASELINE_ON_MIGRATE=true
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources()
            .addFirst(new SystemEnvironmentPropertySource("systemEnvironment",
                    Map.of("SPRING_FLYWAY_BASELINE_ON_MIGRATE", "true")));
        environment.getPropertySources()
            .addFirst(new MapPropertySource("application.yml",
                    Map.of("spring.flyway.locations", "classpath:db/migration")));
        assertThat(this.template.copyIfNew(this.database, url, "sa", "", environment)).isFalse();
        assertThat(Path.of(this.database + ".mv.db")).doesNotExist();

        // the application's own setting alone is the template's
        assertThat(this.template.copyIfNew(this.database, url, "sa", "", defaults(url))).isTrue();
    }

    @Test
    void withoutItsTemplateFlywayCreatesTheDatabase() {
        String url = "jdbc:h2:file:" + this.database + DEFAULT_SETTINGS;
        NewDatabaseTemplate missing = new NewDatabaseTemplate(this.dir.resolve("moved/new-database.mv.db"));

        assertThat(missing.copyIfNew(this.database, url, "sa", "", defaults(url))).isFalse();
        assertThat(Path.of(this.database + ".mv.db")).doesNotExist();
    }

    private static MockEnvironment defaults(String url) {
        return new MockEnvironment().withProperty("spring.datasource.url", url)
            .withProperty("spring.datasource.username", "sa")
            .withProperty("spring.datasource.password", "")
            .withProperty("spring.flyway.locations", "classpath:db/migration");
    }

    private static ApplicationEnvironmentPreparedEvent environmentPrepared(MockEnvironment environment) {
        return new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(),
                new SpringApplication(Object.class), new String[0], environment);
    }

    private static List<String> history(String url) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select \"installed_rank\", \"version\", \"checksum\", "
                        + "\"installed_on\", \"success\" from \"flyway_schema_history\" order by 1")) {
            while (result.next()) {
                rows.add(result.getString(1) + " " + result.getString(2) + " " + result.getString(3) + " "
                        + result.getString(4) + " " + result.getString(5));
            }
        }
        return rows;
    }

    private static List<String> tables(String url) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                ResultSet result = connection.getMetaData().getTables(null, "PUBLIC", null, new String[] { "TABLE" })) {
            while (result.next()) {
                tables.add(result.getString("TABLE_NAME"));
            }
        }
        return tables;
    }

}
