package org.openledger.studio.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SQLite file in WAL mode with versioned migrations. One connection, used by one thread at a time: SQLite
 * serialises writers anyway, and a single connection keeps transactions simple and visible to every reader of this
 * process. Other processes may read the same file concurrently (WAL).
 */
public final class Database implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    private final Path file;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    private Database(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens (creating if needed) the database at {@code file} and brings it to the newest of {@code migrations}.
     *
     * @throws StorageException when the folder is not writable, the file is not a database, or the file was written
     *                          by a newer version of the program
     */
    public static Database open(Path file, List<Migration> migrations) {
        List<Migration> ordered = new ArrayList<>(migrations);
        ordered.sort(Comparator.comparingInt(Migration::version));
        for (int i = 0; i < ordered.size(); i++) {
            if (ordered.get(i).version() != i + 1) {
                throw new IllegalArgumentException("migrations must be numbered 1.." + ordered.size()
                        + " without gaps; found " + ordered.get(i).version() + " at position " + (i + 1));
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        Folders.ensureWritable(dir);
        Connection c = null;
        try {
            if (!Files.exists(file)) {
                // owner-only from its first byte; SQLite makes an empty file a new database and gives its -wal and
                // -shm files the database file's permissions
                try {
                    Folders.createPrivateFile(file);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another opener made it first, owner-only all the same
                }
            }
            c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = 5000");
                st.execute("PRAGMA journal_mode = WAL");
                st.execute("PRAGMA synchronous = NORMAL");
                st.execute("PRAGMA foreign_keys = ON");
            }
            Database db = new Database(file, c);
            db.migrate(ordered);
            return db;
        } catch (SQLException | IOException e) {
            closeQuietly(c);
            throw new StorageException("Cannot open the database " + file + ": " + describe(e), e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private void migrate(List<Migration> ordered) throws SQLException {
        int current = userVersion();
        int newest = ordered.size();
        if (current > newest) {
            throw new StorageException("The database " + file + " has schema version " + current
                    + ", newer than this program knows (" + newest + "); it was written by a newer OpenLedger Studio."
                    + " Nothing was changed.");
        }
        for (Migration m : ordered.subList(current, newest)) {
            connection.setAutoCommit(false);
            try {
                m.apply(connection);
                try (Statement st = connection.createStatement()) {
                    st.execute("PRAGMA user_version = " + m.version());
                }
                connection.commit();
                log.info("Migrated {} to version {} ({})", file.getFileName(), m.version(), m.description());
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw new StorageException("Migration " + m.version() + " (" + m.description() + ") of " + file
                        + " failed: " + describe(e) + ". The database was left at version " + userVersion(), e);
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    public Path file() {
        return file;
    }

    /** The schema version the database is at. */
    public int userVersion() throws SQLException {
        try (Statement st = connection.createStatement(); var rs = st.executeQuery("PRAGMA user_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    /** Work done with the connection, outside an explicit transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} with exclusive use of the connection. */
    public <T> T read(Work<T> work) {
        lock.lock();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StorageException("Database " + file.getFileName() + ": " + describe(e), e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work} in one transaction: all of it is stored, or none of it. */
    public <T> T transaction(Work<T> work) {
        lock.lock();
        try {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageException("Database " + file.getFileName() + ": " + describe(e), e);
        } finally {
            lock.unlock();
        }
    }

    /** The journal mode SQLite reports, e.g. {@code wal}. */
    public String journalMode() {
        return read(c -> {
            try (Statement st = c.createStatement(); var rs = st.executeQuery("PRAGMA journal_mode")) {
                return rs.next() ? rs.getString(1) : "";
            }
        });
    }

    @Override
    public void close() {
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("Closing {} failed: {}", file, e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        if (m != null && m.contains("SQLITE_NOTADB")) {
            return "the file is not a SQLite database (damaged or of another kind)";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }
}
