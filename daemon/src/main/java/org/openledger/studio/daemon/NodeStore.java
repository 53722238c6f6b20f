package org.openledger.studio.daemon;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import org.openledger.studio.store.Database;
import org.openledger.studio.store.Migration;

/** The node's own SQLite database ({@code node.db}): identity now; registries of later features add migrations. */
public final class NodeStore implements AutoCloseable {

    static final List<Migration> MIGRATIONS = List.of(
            Migration.sql(1, "node settings",
                    "CREATE TABLE node_setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                    "CREATE TABLE node_start (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL,"
                            + " version TEXT NOT NULL)"));

    private final Database db;

    private NodeStore(Database db) {
        this.db = db;
    }

    public static NodeStore open(Path dataDir) {
        return new NodeStore(Database.open(dataDir.resolve("node.db"), MIGRATIONS));
    }

    public Database database() {
        return db;
    }

    /** This node's id: made once, then kept for the life of the data folder. */
    public String nodeId() {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("SELECT value FROM node_setting WHERE key = 'node_id'");
                 var rs = st.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
            String id = "node-" + UUID.randomUUID();
            try (PreparedStatement st = c.prepareStatement("INSERT INTO node_setting(key, value) VALUES ('node_id', ?)")) {
                st.setString(1, id);
                st.executeUpdate();
            }
            return id;
        });
    }

    /** Records a start of the node, for the operator's history. Returns how many starts there have been. */
    public long recordStart(String startedAt, String version) {
        return db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO node_start(started_at, version) VALUES (?, ?)")) {
                st.setString(1, startedAt);
                st.setString(2, version);
                st.executeUpdate();
            }
            try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM node_start")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void close() {
        db.close();
    }
}
