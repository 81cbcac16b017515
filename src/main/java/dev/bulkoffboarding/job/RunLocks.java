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
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

/**
 * Proves who owns a run, so that a crashed owner can be told from a live one without guessing
 * from timestamps. On PostgreSQL a session advisory lock (released by the server when the
 * owner's connection dies); on H2 an operating-system file lock beside the database (released
 * when the owner's process dies).
 */
abstract class RunLocks {

    /** The locks this process holds now, by run key: what the submit step checks before each chunk. */
    private final Map<String, Lock> held = new ConcurrentHashMap<>();

    /** Takes the lock for this run key, or returns empty when another process holds it. */
    final Optional<Lock> tryAcquire(String runKey) {
        return acquire(runKey).map((lock) -> {
            this.held.put(runKey, lock);
            return (Lock) new Lock() {

                @Override
                public Optional<String> lost() {
                    return lock.lost();
                }

                @Override
                public void close() {
                    held.remove(runKey, lock);
                    lock.close();
                }

            };
        });
    }

    abstract Optional<Lock> acquire(String runKey);

    /**
     * Why this process no longer owns the run, or empty while it does. A run whose lock this process
     * does not hold (any more) is not its own either.
     */
    final Optional<String> ownershipLost(String runKey) {
        Lock lock = this.held.get(runKey);
        return (lock != null) ? lock.lost() : Optional.of("this process holds no lock for the run");
    }

    /** A held lock. */
    interface Lock extends AutoCloseable {

        /**
         * Why the lock is no longer held, or empty while it is. Asks the holder of the lock itself
         * (the database session, the file), not a record of having taken it.
         */
        default Optional<String> lost() {
            return Optional.empty();
        }

        @Override
        void close();

    }

    /**
     * @param dataDir where an in-memory or remote H2 database keeps its run locks; a file database
     * keeps them beside its file, whatever this process's working directory or data-dir
     */
    static RunLocks forDataSource(DataSource dataSource, Path dataDir) {
        try (Connection connection = dataSource.getConnection()) {
            String product = connection.getMetaData().getDatabaseProductName();
            if (product.toLowerCase(java.util.Locale.ROOT).contains("postgres")) {
                return new AdvisoryLocks(dataSource);
            }
            return new FileLocks(h2LockDirectory(connection.getMetaData().getURL()).orElse(dataDir.resolve("locks")));
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot reach the database: " + ex.getMessage(), ex);
        }
    }

    /**
     * The folder beside an H2 file database, named after it ({@code ./data/bulk-offboarding} has
     * {@code ./data/bulk-offboarding.locks}): every process that opens that file finds the same
     * folder, however it spells the path and wherever it runs from, and the folder is inside the
     * one {@link PrivateDataDirectory} keeps private. Empty for an in-memory or a server (tcp:,
     * ssl:) database, whose file is not this machine's to lock beside.
     */
    static Optional<Path> h2LockDirectory(String url) {
        return PrivateDataDirectory.databaseFile(url).map((file) -> {
            Path database = file.toAbsolutePath().normalize();
            Path folder = database.getParent();
            try {
                // one spelling for a folder reached through a link
                folder = folder.toRealPath();
            }
            catch (IOException ex) {
                // not there (yet): the normalised path is the best there is
            }
            return folder.resolve(database.getFileName() + ".locks");
        });
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

        Path directory() {
            return this.directory;
        }

        @Override
        Optional<Lock> acquire(String runKey) {
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
                Object identity = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
                return Optional.of(new HeldFile(file, channel, lock, identity));
            }
            catch (IOException ex) {
                throw new UncheckedIOException("Cannot take the run lock in " + this.directory, ex);
            }
        }

    }

    /** A file lock this process holds, on the file it opened. */
    private record HeldFile(Path file, FileChannel channel, FileLock lock, Object identity) implements Lock {

        @Override
        public Optional<String> lost() {
            if (!this.lock.isValid()) {
                return Optional.of("its lock on " + this.file + " was released");
            }
            try {
                // A lock file deleted (or replaced) under a live run could be created and locked
                // anew by another process: the lock held here would then prove nothing.
                Object now = Files.readAttributes(this.file, BasicFileAttributes.class).fileKey();
                if (this.identity != null && !this.identity.equals(now)) {
                    return Optional.of(this.file + " was replaced");
                }
                return Optional.empty();
            }
            catch (IOException ex) {
                return Optional.of(this.file + " was deleted");
            }
        }

        @Override
        public void close() {
            try {
                this.lock.release();
                this.channel.close();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
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
        Optional<Lock> acquire(String runKey) {
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
                return Optional.of(new HeldAdvisoryLock(connection, key));
            }
            catch (SQLException ex) {
                closeQuietly(connection);
                throw new IllegalStateException("Cannot take the run lock: " + ex.getMessage(), ex);
            }
        }

        static void closeQuietly(Connection connection) {
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

    /** An advisory lock held by a session of its own: the lock lives exactly as long as that session. */
    private record HeldAdvisoryLock(Connection connection, long key) implements Lock {

        /** Long enough for a busy server; a session that cannot answer in this time proves nothing. */
        private static final int CHECK_TIMEOUT_SECONDS = 30;

        @Override
        public Optional<String> lost() {
            // Ask the session itself: if it was terminated (pg_terminate_backend, a restart, a
            // network cut the server noticed), the server released the lock, and this fails.
            try (PreparedStatement statement = this.connection.prepareStatement("select exists (select 1 from "
                    + "pg_locks where locktype = 'advisory' and pid = pg_backend_pid() and granted and objsubid = 1 "
                    + "and classid::bigint = ? and objid::bigint = ?)")) {
                statement.setQueryTimeout(CHECK_TIMEOUT_SECONDS);
                statement.setLong(1, this.key >>> 32);
                statement.setLong(2, this.key & 0xFFFFFFFFL);
                try (ResultSet rs = statement.executeQuery()) {
                    return (rs.next() && rs.getBoolean(1)) ? Optional.empty()
                            : Optional.of("its PostgreSQL session no longer holds the run's advisory lock");
                }
            }
            catch (SQLException ex) {
                return Optional.of("the PostgreSQL session that held the run's advisory lock ended: "
                        + ex.getMessage());
            }
        }

        @Override
        public void close() {
            try (Connection held = this.connection;
                    PreparedStatement unlock = held.prepareStatement("select pg_advisory_unlock(?)")) {
                unlock.setLong(1, this.key);
                unlock.execute();
            }
            catch (SQLException ex) {
                // Closing the connection releases the lock anyway.
            }
        }

    }

}
