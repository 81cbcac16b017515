package dev.bulkoffboarding.support;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A PostgreSQL database of a test's own: created empty, dropped by {@link #close()}. It lives on
 * a Testcontainers PostgreSQL when a Docker engine is available, else on the local server at
 * 127.0.0.1:5432; when neither can be reached, {@link #create()} throws and the test fails.
 */
public final class PostgresDatabase implements AutoCloseable {

    private final PostgresServer server;

    private final String name;

    private PostgresDatabase(PostgresServer server, String name) {
        this.server = server;
        this.name = name;
    }

    /** Creates a fresh, empty database. */
    public static PostgresDatabase create() {
        PostgresServer server = PostgresServer.get();
        String name = "bulk_offboarding_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        server.execute("create database " + name);
        return new PostgresDatabase(server, name);
    }

    public String name() {
        return this.name;
    }

    public String url() {
        return this.server.url(this.name);
    }

    public String username() {
        return this.server.username();
    }

    public String password() {
        return this.server.password();
    }

    /**
     * The connection for a Spring Boot context: the same kind of bean {@code @ServiceConnection}
     * registers for a container, here pointing at this database rather than at a whole server.
     */
    public JdbcConnectionDetails connectionDetails() {
        return new JdbcConnectionDetails() {

            @Override
            public String getUsername() {
                return username();
            }

            @Override
            public String getPassword() {
                return password();
            }

            @Override
            public String getJdbcUrl() {
                return url();
            }

        };
    }

    /** The same connection as command-line arguments of the application. */
    public List<String> applicationArguments() {
        return List.of("--spring.datasource.url=" + url(), "--spring.datasource.username=" + username(),
                "--spring.datasource.password=" + password());
    }

    /** A connection of the test's own, to look into what the application wrote. */
    public JdbcTemplate jdbcTemplate() {
        return new JdbcTemplate(new DriverManagerDataSource(url(), username(), password()));
    }

    /** Ends every session on the database (a test's pool, a killed process's) and drops it. */
    @Override
    public void close() {
        this.server.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + this.name
                + "' and pid <> pg_backend_pid()", "drop database if exists " + this.name);
    }

    @Override
    public String toString() {
        return this.name.toLowerCase(Locale.ROOT) + " on " + this.server;
    }

}
