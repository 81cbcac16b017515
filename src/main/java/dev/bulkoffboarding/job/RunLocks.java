package dev.bulkoffboarding.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * Proves who owns a run, so that a crashed owner can be told from a live one without guessing
 * from timestamps. On PostgreSQL a session advisory lock (released by the server when the
 * owner's connection dies); on H2 an operating-system file lock beside the database (released
 * when the owner's process dies).
 */
abstract class RunLocks {

    /** Takes the lock for this run key, or returns empty when another process holds it. */
    abstract Optional<Lock> tryAcquire(String runKey);

    /** A held lock. */
    interface Lock extends AutoCloseable {

        @Override
        void close();

    }

    static RunLocks forDataSource(DataSource dataSource, Path dataDir) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName();
            if (product.toLowerCase(java.util.Locale.ROOT).contains("postgres")) {
                return new AdvisoryLocks(dataSource);
            }
            return new FileLocks(dataDir.resolve("locks"));
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot reach the database: " + ex.getMessage(), ex);
        }
    }

    static byte[] digest(String runKey) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(runKey.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** OS file locks: one file per run key. */
    static final class FileLocks extends RunLocks {

        private final Path directory;

        FileLocks(Path directory) {
            this.directory = directory;
        }

        @Override
        Optional<Lock> tryAcquire(String runKey) {
            try {
                Files.createDirectories(this.directory);
                Path file = this.directory.resolve(HexFormat.of().formatHex(digest(runKey)) + ".lock");
                FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                }
                catch (OverlappingFileLockException ex) {
                    lock = null; // held by this very process
                }
                if (lock == null) {
                    channel.close();
                    return Optional.empty();
                }
                FileLock held = lock;
                return Optional.of(() -> {
                    try {
                        held.release();
                        channel.close();
                    }
                    catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Cannot take the run lock in " + this.directory, ex);
            }
        }

    }

    /** PostgreSQL session advisory locks, held on a connection of their own for the whole run. */
    static final class AdvisoryLocks extends RunLocks {

        private final DataSource dataSource;

        AdvisoryLocks(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        Optional<Lock> tryAcquire(String runKey) {
            long key = java.nio.ByteBuffer.wrap(digest(runKey)).getLong();
            Connection connection = null;
            try {
                connection = this.dataSource.getConnection();
                connection.setAutoCommit(true);
                boolean acquired;
                try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_lock(?)")) {
                    statement.setLong(1, key);
                    try (ResultSet rs = statement.executeQuery()) {
                        acquired = rs.next() && rs.getBoolean(1);
                    }
                }
                if (!acquired) {
                    connection.close();
                    return Optional.empty();
                }
                Connection held = connection;
                return Optional.of(() -> {
                    try (held; PreparedStatement unlock = held.prepareStatement("select pg_advisory_unlock(?)")) {
                        unlock.setLong(1, key);
                        unlock.execute();
                    }
                    catch (SQLException ex) {
                        // Closing the connection releases the lock anyway.
                    }
                });
            }
            catch (SQLException ex) {
                closeQuietly(connection);
                throw new IllegalStateException("Cannot take the run lock: " + ex.getMessage(), ex);
            }
        }

        private static void closeQuietly(Connection connection) {
            if (connection != null) {
                try {
                    connection.close();
                }
                catch (SQLException ex) {
                    // already failing for a better reason
                }
            }
        }

    }

}
