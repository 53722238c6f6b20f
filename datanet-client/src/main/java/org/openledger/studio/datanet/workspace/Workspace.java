package org.openledger.studio.datanet.workspace;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;
import org.openledger.studio.datanet.check.CheckReport;
import org.openledger.studio.datanet.check.NearDuplicateSettings;
import org.openledger.studio.datanet.check.NodeDuplicateIndex;
import org.openledger.studio.datanet.check.QualitySettings;
import org.openledger.studio.datanet.check.RowChecks;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.ProgressListener;
import org.openledger.studio.store.Database;

/**
 * The local curation workspace: one SQLite file (WAL) with the user's Datanets, their rows and findings, and
 * upload state. The MinHash parameters are fixed when the file is created, since stored signatures are comparable
 * only under the same ones; the similarity threshold is chosen per check.
 */
public final class Workspace implements AutoCloseable {

    private final Database db;
    private final NearDuplicateSettings near;
    private final DatanetCatalog datanets;
    private final RowStore rows;
    private final RowImport imports;
    private final WorkspaceCheck checks;

    private Workspace(Database db, NearDuplicateSettings near, QualitySettings quality, Clock clock) {
        this.db = db;
        this.near = near;
        this.datanets = new DatanetCatalog(db, clock);
        this.rows = new RowStore(db, clock);
        this.imports = new RowImport(db, rows, new RowChecks(near, quality), clock);
        this.checks = new WorkspaceCheck(db, near);
    }

    /** Opens or creates the workspace at {@code file} with default check settings. */
    public static Workspace open(Path file) {
        return open(file, QualitySettings.DEFAULT, Clock.systemUTC());
    }

    public static Workspace open(Path file, QualitySettings quality, Clock clock) {
        Database db = Database.open(file, WorkspaceSchema.migrations());
        try {
            db.read(c -> {
                try (var st = c.createStatement()) {
                    // rows are inserted under random keys (hashes) into several indexes: a larger page cache keeps
                    // those inserts from re-reading pages (measured: the insert rate roughly doubles)
                    st.execute("PRAGMA cache_size = -65536");
                    st.execute("PRAGMA temp_store = MEMORY");
                }
                return null;
            });
            NearDuplicateSettings near = db.transaction(c -> {
                NearDuplicateSettings d = NearDuplicateSettings.DEFAULT;
                String positions = meta(c, "minhash.positions", Integer.toString(d.positions()));
                String words = meta(c, "minhash.shingle_words", Integer.toString(d.shingleWords()));
                String seed = meta(c, "minhash.seed", Long.toString(d.seed()));
                return new NearDuplicateSettings(d.threshold(), Integer.parseInt(positions), Integer.parseInt(words),
                        Long.parseLong(seed));
            });
            return new Workspace(db, near, quality, clock);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /** Reads a setting, storing {@code initial} the first time. */
    private static String meta(java.sql.Connection c, String key, String initial) throws java.sql.SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT value FROM workspace_meta WHERE key = ?")) {
            st.setString(1, key);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO workspace_meta (key, value) VALUES (?, ?)")) {
            st.setString(1, key);
            st.setString(2, initial);
            st.executeUpdate();
        }
        return initial;
    }

    public DatanetCatalog datanets() {
        return datanets;
    }

    public RowStore rows() {
        return rows;
    }

    /**
     * Reads, checks and stores the rows of {@code files} in a batch of {@code datanetId}. Files that cannot be read
     * are listed in the result's failures; the others are added. Calling it again with the same files after an
     * interruption completes the same batch without storing any row twice.
     */
    public ImportResult add(long datanetId, List<Path> files, String contributor, Ingest ingest,
                            ProgressListener progress) {
        return imports.add(datanetId, files, contributor, ingest, progress);
    }

    /** The check report of a batch against itself and the rest of its Datanet. */
    public CheckReport check(long batchId, double threshold) {
        return checks.check(batchId, threshold, null);
    }

    /** As {@link #check(long, double)}, and against the Datanet's rows on the node, asked through {@code node}. */
    public CheckReport check(long batchId, double threshold, NodeDuplicateIndex node) {
        return checks.check(batchId, threshold, node);
    }

    public CheckReport check(long batchId) {
        return check(batchId, near.threshold());
    }

    public NearDuplicateSettings nearDuplicateSettings() {
        return near;
    }

    /** For the contribution package, which keeps its upload state in the same file. */
    public Database database() {
        return db;
    }

    @Override
    public void close() {
        db.close();
    }
}
