package dev.bulkoffboarding.job;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.env.Environment;

/**
 * Opens the embedded H2 database on the second core while a command-line tool's main thread prepares
 * its context, so that the connection pool finds the database open instead of opening it itself
 * (about 0.15 s on Java 17, more for a new database). The connection is closed as soon as the
 * application has started (the pool holds the database open by then) or has failed to start.
 * <p>
 * Nothing changes but the time: the same URL and credentials as the pool's, the database's folder
 * made private first (as {@link PrivateDataDirectory} would before the pool's first connection), and
 * a database that cannot be opened here is left to the pool, which then reports why. Only an H2 file
 * database is opened ahead; PostgreSQL and in-memory databases are left alone. {@code serve} does
 * not use this: it starts once and runs for days.
 * <p>
 * A database that does not exist yet is made from the fast-start launcher's template first, where
 * that gives the database Flyway would make ({@link NewDatabaseTemplate}).
 */
public final class DatabaseOpenedAhead implements ApplicationListener<SpringApplicationEvent> {

    private static final Log logger = LogFactory.getLog(DatabaseOpenedAhead.class);

    private final NewDatabaseTemplate template;

    private Connection connection;

    private boolean started;

    private Thread opening;

    /** With the fast-start launcher's template for a new database, if it gave one. */
    public DatabaseOpenedAhead() {
        this(NewDatabaseTemplate.fromSystemProperty());
    }

    DatabaseOpenedAhead(NewDatabaseTemplate template) {
        this.template = template;
    }

    @Override
    public void onApplicationEvent(SpringApplicationEvent event) {
        if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            open(prepared.getEnvironment());
        }
        else if (event instanceof ApplicationStartedEvent || event instanceof ApplicationFailedEvent) {
            close();
        }
    }

    private void open(Environment environment) {
        if (Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
            // The build preparing the context (BuildTimeContext): no database of the build's own, and
            // no reading of settings that the prepared context would then depend on.
            return;
        }
        String url = environment.getProperty("spring.datasource.url");
        Optional<Path> file = PrivateDataDirectory.databaseFile(url);
        if (file.isEmpty()) {
            return;
        }
        String username = environment.getProperty("spring.datasource.username", "sa");
        String password = environment.getProperty("spring.datasource.password", "");
        this.opening = new Thread(() -> {
            Path directory = file.get().toAbsolutePath().getParent();
            if (directory != null) {
                PrivateDataDirectory.makePrivate(directory);
                if (this.template != null) {
                    this.template.copyIfNew(file.get(), url, username, password, environment);
                }
            }
            long start = System.nanoTime();
            try {
                keep(DriverManager.getConnection(url, username, password));
                if (logger.isDebugEnabled()) {
                    logger.debug("Opened the database ahead of the context in "
                            + (System.nanoTime() - start) / 1_000_000 + " ms");
                }
            }
            catch (SQLException | RuntimeException ex) {
                // The pool opens it again and reports the error; the message could hold the URL's settings.
                logger.debug("Could not open the database ahead of the context (" + ex.getClass().getName()
                        + "): the connection pool opens it");
            }
        }, "database-opened-ahead");
        this.opening.setDaemon(true);
        this.opening.start();
    }

    /** Waits until the database has been opened ahead, or could not be (for tests). */
    void awaitOpening() throws InterruptedException {
        if (this.opening != null) {
            this.opening.join();
        }
    }

    private void keep(Connection opened) throws SQLException {
        synchronized (this) {
            if (!this.started) {
                this.connection = opened;
                return;
            }
        }
        opened.close();
    }

    private void close() {
        Connection opened;
        synchronized (this) {
            this.started = true;
            opened = this.connection;
            this.connection = null;
        }
        if (opened != null) {
            try {
                opened.close();
            }
            catch (SQLException ex) {
                logger.debug("Could not close the connection opened ahead (" + ex.getClass().getName() + ")");
            }
        }
    }

}
