package dev.bulkoffboarding.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class DatabaseOpenedAheadTests {

    private static final SpringApplication APPLICATION = new SpringApplication(Object.class);

    @TempDir
    Path dir;

    private final DatabaseOpenedAhead ahead = new DatabaseOpenedAhead();

    @Test
    void opensTheDatabaseInItsPrivateFolderAndLetsGoOnceTheApplicationHasStarted() throws Exception {
        // given
        String url = "jdbc:h2:file:" + this.dir.resolve("data/ahead");

        // when
        this.ahead.onApplicationEvent(environmentPrepared(url, "sa", ""));
        this.ahead.awaitOpening();

        // then: created as the pool would have, in a folder only its owner may enter, and still open
        assertThat(this.dir.resolve("data/ahead.mv.db")).isRegularFile();
        assertThat(Files.getPosixFilePermissions(this.dir.resolve("data")))
            .isEqualTo(PrivateDataDirectory.OWNER_DIRECTORY);
        try (Connection pool = DriverManager.getConnection(url, "sa", "")) {
            assertThat(sessions(pool)).isEqualTo(2);

            // when
            this.ahead.onApplicationEvent(new ApplicationStartedEvent(APPLICATION, new String[0], null, null));

            // then
            assertThat(sessions(pool)).isEqualTo(1);
        }
    }

    @Test
    void aStartThatFailedBeforeTheDatabaseWasOpenClosesItAsSoonAsItIs() throws Exception {
        // given
        String url = "jdbc:h2:file:" + this.dir.resolve("data/ahead");

        // when: the start fails at once, the opening thread goes on
        this.ahead.onApplicationEvent(environmentPrepared(url, "sa", ""));
        this.ahead.onApplicationEvent(
                new ApplicationFailedEvent(APPLICATION, new String[0], null, new IllegalStateException("bad setting")));
        this.ahead.awaitOpening();

        // then
        try (Connection other = DriverManager.getConnection(url, "sa", "")) {
            assertThat(sessions(other)).isEqualTo(1);
        }
    }

    @Test
    void leavesADatabaseItCannotOpenToThePoolAndSaysNothingOfItsCredentials(CapturedOutput output) throws Exception {
        // given: a database with another password
        String url = "jdbc:h2:file:" + this.dir.resolve("data/ahead");
        DriverManager.getConnection(url, "sa", "right-password").close();

        // when
        this.ahead.onApplicationEvent(environmentPrepared(url, "sa", "wrong-password"));
        this.ahead.awaitOpening();
        this.ahead.onApplicationEvent(new ApplicationStartedEvent(APPLICATION, new String[0], null, null));

        // then
        try (Connection pool = DriverManager.getConnection(url, "sa", "right-password")) {
            assertThat(sessions(pool)).isEqualTo(1);
        }
        assertThat(output).doesNotContain("wrong-password").doesNotContain("right-password");
    }

    @Test
    void leavesOtherDatabasesAlone() throws Exception {
        // when
        this.ahead.onApplicationEvent(environmentPrepared("jdbc:h2:mem:ahead;DB_CLOSE_DELAY=-1", "sa", ""));
        this.ahead.awaitOpening();

        // then: nothing opened it (an in-memory database of that name would still be there)
        try (Connection other = DriverManager.getConnection("jdbc:h2:mem:ahead;IFEXISTS=TRUE", "sa", "")) {
            throw new AssertionError("the in-memory database exists: " + other);
        }
        catch (SQLException expected) {
            assertThat(expected.getErrorCode()).isEqualTo(90146); // DATABASE_NOT_FOUND_WITH_IF_EXISTS_1
        }
    }

    private static ApplicationEnvironmentPreparedEvent environmentPrepared(String url, String username,
            String password) {
        MockEnvironment environment = new MockEnvironment().withProperty("spring.datasource.url", url)
            .withProperty("spring.datasource.username", username)
            .withProperty("spring.datasource.password", password);
        return new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(), APPLICATION, new String[0],
                environment);
    }

    private static int sessions(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select count(*) from information_schema.sessions")) {
            rows.next();
            return rows.getInt(1);
        }
    }

}
