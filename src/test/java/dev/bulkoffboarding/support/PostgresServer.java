package dev.bulkoffboarding.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL server the tests create their databases on: a Testcontainers one when a Docker
 * engine is available, otherwise the local server at 127.0.0.1:5432. Chosen once per JVM; when
 * neither is reachable every PostgreSQL test fails with the reason, it never skips.
 */
final class PostgresServer {

    /** The same major version docker-compose.yml runs in production. */
    static final String IMAGE = "postgres:16-alpine";

    static final String LOCAL_HOST = "127.0.0.1";

    static final int LOCAL_PORT = 5432;

    private static PostgresServer instance;

    private static RuntimeException unavailable;

    private final String host;

    private final int port;

    private final String username;

    private final String password;

    private final String description;

    private PostgresServer(String host, int port, String username, String password, String description) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
        this.description = description;
    }

    static synchronized PostgresServer get() {
        if (instance != null) {
            return instance;
        }
        if (unavailable != null) {
            throw unavailable; // one diagnosis per JVM, not one connection timeout per test class
        }
        try {
            instance = DockerClientFactory.instance().isDockerAvailable() ? startContainer() : local();
            // Which of the two ran the tests is worth a line in the build log.
            System.out.println("PostgreSQL tests run on " + instance);
            return instance;
        }
        catch (RuntimeException ex) {
            unavailable = ex;
            throw ex;
        }
    }

    private static PostgresServer startContainer() {
        PostgreSQLContainer container = new PostgreSQLContainer(IMAGE);
        container.start();
        // Ryuk removes the container when the JVM ends; this covers a run with Ryuk disabled.
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "stop-test-postgres"));
        return new PostgresServer(container.getHost(), container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT),
                container.getUsername(), container.getPassword(), "Testcontainers " + IMAGE);
    }

    private static PostgresServer local() {
        // Trust authentication on CI; PGPASSWORD for a local server that wants a password.
        String password = System.getenv().getOrDefault("PGPASSWORD", "");
        PostgresServer server = new PostgresServer(LOCAL_HOST, LOCAL_PORT, "postgres", password,
                "the local PostgreSQL at " + LOCAL_HOST + ":" + LOCAL_PORT);
        try (Connection connection = server.connect("postgres")) {
            return server;
        }
        catch (SQLException ex) {
            throw new IllegalStateException("The PostgreSQL tests need a database and found none: there is no "
                    + "Docker engine for Testcontainers, and the local PostgreSQL at " + LOCAL_HOST + ":" + LOCAL_PORT
                    + " refused the connection as 'postgres' (" + ex.getMessage() + "). Start Docker, or the "
                    + "local server ('.ci/run' starts it). These tests fail rather than skip.", ex);
        }
    }

    String url(String database) {
        // the same driver setting as the production examples: a batch of inserts goes as multi-row statements
        return "jdbc:postgresql://" + this.host + ":" + this.port + "/" + database + "?reWriteBatchedInserts=true";
    }

    String username() {
        return this.username;
    }

    String password() {
        return this.password;
    }

    Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", this.username);
        properties.setProperty("password", this.password);
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(url(database), properties);
    }

    /** Runs statements that cannot run in a transaction (create / drop database) on the maintenance database. */
    void execute(String... sql) {
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("On " + this.description + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public String toString() {
        return this.description;
    }

}
