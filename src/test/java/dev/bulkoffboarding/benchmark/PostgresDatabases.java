package dev.bulkoffboarding.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Fresh PostgreSQL databases for {@code --postgres}: one per run, created through the server's
 * administrative database and dropped after the run, so that every run starts as empty as an H2
 * file does. The user is {@code PGUSER} (default {@code postgres}), the password {@code PGPASSWORD}.
 */
final class PostgresDatabases {

    private static final String PREFIX = "bulk_offboarding_bench_";

    private PostgresDatabases() {
    }

    /**
     * @param adminUrl a JDBC URL of a database to connect to for CREATE and DROP DATABASE, e.g.
     * {@code jdbc:postgresql://127.0.0.1:5432/postgres}
     */
    static AppRun.Database create(String adminUrl, String name) throws SQLException {
        String database = PREFIX + name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        execute(adminUrl, "drop database if exists " + database);
        execute(adminUrl, "create database " + database);
        String base = adminUrl.substring(0, adminUrl.lastIndexOf('/') + 1);
        // the driver setting the README recommends: staged rows go as multi-row inserts
        return new AppRun.Database(base + database + "?reWriteBatchedInserts=true", user(), password());
    }

    static void drop(String adminUrl, AppRun.Database database) throws SQLException {
        String url = database.url();
        String name = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        execute(adminUrl, "drop database if exists " + name + " with (force)");
    }

    private static void execute(String adminUrl, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(adminUrl, user(), password());
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String user() {
        String user = System.getenv("PGUSER");
        return (user == null || user.isBlank()) ? "postgres" : user;
    }

    private static String password() {
        String password = System.getenv("PGPASSWORD");
        return (password == null) ? "" : password;
    }

}
