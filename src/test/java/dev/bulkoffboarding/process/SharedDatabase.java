package dev.bulkoffboarding.process;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.bulkoffboarding.support.PostgresDatabase;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The one database several application processes of a test share, and the test's own way to
 * look into it once they are done (or dead).
 */
interface SharedDatabase extends AutoCloseable {

    /** What each process's command line needs to use this database. */
    List<String> applicationArguments();

    /** A connection of the test's own; each query opens and closes its own connection. */
    JdbcTemplate jdbcTemplate();

    /**
     * Makes sure that no process of the test serves the database to the others, until the
     * returned server is closed. For an H2 file this JVM opens it first, so that it serves the
     * file to the processes as a long-lived {@code serve} would: the first process to open an
     * {@code AUTO_SERVER} file serves it, and when that process ends, another process's run still
     * using the file loses its connections and fails (see
     * {@link DeviceClaimsAcrossProcessesOnH2IntegrationTests}).
     */
    Server serveWhileProcessesRun();

    @Override
    void close();

    /** What {@link #serveWhileProcessesRun()} holds open. */
    interface Server extends AutoCloseable {

        @Override
        void close();

    }

    /**
     * An H2 file in {@code directory}, opened with {@code AUTO_SERVER=TRUE} as the application's
     * default URL does: the first process to open it serves it to the others.
     */
    static SharedDatabase h2(Path directory) {
        String url = "jdbc:h2:file:" + directory.resolve("bulk-offboarding").toAbsolutePath()
                + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
        return new SharedDatabase() {

            @Override
            public List<String> applicationArguments() {
                return List.of("--spring.datasource.url=" + url, "--offboarding.data-dir=" + directory);
            }

            @Override
            public JdbcTemplate jdbcTemplate() {
                // Only while no process runs: a connection of the test's own would make this JVM the
                // file's server, and a process connected through it would lose its connection when
                // the test's closes.
                return new JdbcTemplate(new DriverManagerDataSource(url, "sa", ""));
            }

            @Override
            public Server serveWhileProcessesRun() {
                try {
                    Connection connection = DriverManager.getConnection(url, "sa", "");
                    return () -> {
                        try {
                            connection.close();
                        }
                        catch (SQLException ex) {
                            throw new IllegalStateException(ex);
                        }
                    };
                }
                catch (SQLException ex) {
                    throw new IllegalStateException("Cannot open " + url, ex);
                }
            }

            @Override
            public void close() {
                // the file goes with the test's temporary directory
            }

            @Override
            public String toString() {
                return "H2 " + url;
            }

        };
    }

    /** A fresh PostgreSQL database, dropped by {@link #close()}. */
    static SharedDatabase postgres(Path dataDirectory) {
        PostgresDatabase database = PostgresDatabase.create();
        return new SharedDatabase() {

            @Override
            public List<String> applicationArguments() {
                List<String> arguments = new ArrayList<>(database.applicationArguments());
                arguments.add("--offboarding.data-dir=" + dataDirectory);
                return arguments;
            }

            @Override
            public JdbcTemplate jdbcTemplate() {
                return database.jdbcTemplate();
            }

            @Override
            public Server serveWhileProcessesRun() {
                return () -> {
                    // the PostgreSQL server outlives every process
                };
            }

            @Override
            public void close() {
                database.close();
            }

            @Override
            public String toString() {
                return database.toString();
            }

        };
    }

}
