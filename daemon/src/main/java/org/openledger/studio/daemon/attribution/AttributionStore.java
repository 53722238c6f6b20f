package org.openledger.studio.daemon.attribution;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.InfluenceIndexInfo;
import org.openledger.studio.store.Database;
import org.openledger.studio.store.Migration;

/**
 * The node's attribution records and index states on disk ({@code attribution.db}, SQLite WAL): each record as the
 * JSON the API answers with, so a record survives a restart exactly as it was served.
 */
final class AttributionStore implements AutoCloseable {

    static final List<Migration> MIGRATIONS = List.of(Migration.sql(1, "attribution records and indexes",
            "CREATE TABLE attribution_record (id TEXT PRIMARY KEY, model TEXT NOT NULL, state TEXT NOT NULL,"
                    + " created_at INTEGER NOT NULL, record TEXT NOT NULL)",
            "CREATE INDEX attribution_record_model ON attribution_record (model, created_at)",
            "CREATE TABLE influence_index (adapter TEXT PRIMARY KEY, info TEXT NOT NULL)"),
            Migration.sql(2, "rows of the node's span corpus",
                    "CREATE TABLE span_row (id INTEGER PRIMARY KEY, batch TEXT NOT NULL, source TEXT NOT NULL,"
                            + " datanet_id TEXT, upload_id TEXT, seq INTEGER, contributor TEXT, text TEXT NOT NULL)",
                    "CREATE TABLE span_batch (batch TEXT PRIMARY KEY, rows INTEGER NOT NULL, created_at INTEGER NOT NULL)"),
            Migration.sql(3, "prices and the credits of charged inferences",
                    "CREATE TABLE price (model TEXT PRIMARY KEY, price TEXT NOT NULL)",
                    "CREATE TABLE attribution_credit (id INTEGER PRIMARY KEY AUTOINCREMENT, record_id TEXT NOT NULL,"
                            + " account TEXT NOT NULL, role TEXT NOT NULL, amount_wei TEXT NOT NULL,"
                            + " created_at INTEGER NOT NULL)"),
            Migration.sql(4, "the Datanet a contributor's credit came through",
                    "ALTER TABLE attribution_credit ADD COLUMN datanet_id TEXT"));

    /** A credit of a charged inference, as the reward ledger takes it in. */
    record Credit(long id, String recordId, String account, String role, String amountWei, String datanetId) {
    }

    private final Database db;

    private AttributionStore(Database db) {
        this.db = db;
    }

    static AttributionStore open(Path dataDir) {
        return new AttributionStore(Database.open(dataDir.resolve("attribution.db"), MIGRATIONS));
    }

    /** Keeps a record, and the credits of its charge (once: a record already charged is not credited again). */
    void put(AttributionRecord r) {
        String json = json(r);
        db.transaction(c -> {
            if (r.charge() != null) {
                boolean credited;
                try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM attribution_credit WHERE record_id = ?")) {
                    st.setString(1, r.id());
                    try (ResultSet rs = st.executeQuery()) {
                        credited = rs.next();
                    }
                }
                if (!credited) {
                    try (PreparedStatement st = c.prepareStatement("INSERT INTO attribution_credit (record_id,"
                            + " account, role, amount_wei, created_at, datanet_id) VALUES (?, ?, ?, ?, ?, ?)")) {
                        for (AttributionRecord.Credit credit : r.charge().credits()) {
                            st.setString(1, r.id());
                            st.setString(2, credit.account());
                            st.setString(3, credit.role());
                            st.setString(4, credit.amountWei());
                            st.setLong(5, System.currentTimeMillis());
                            st.setString(6, credit.datanetId());
                            st.addBatch();
                        }
                        st.executeBatch();
                    }
                }
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO attribution_record (id, model, state,"
                    + " created_at, record) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state,"
                    + " record = excluded.record")) {
                st.setString(1, r.id());
                st.setString(2, r.model());
                st.setString(3, r.state());
                st.setLong(4, r.createdAt());
                st.setString(5, json);
                st.executeUpdate();
            }
            return null;
        });
    }

    Optional<AttributionRecord> get(String id) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT record FROM attribution_record WHERE id = ?")) {
                st.setString(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(parse(rs.getString(1), AttributionRecord.class)) : Optional.empty();
                }
            }
        });
    }

    /** The newest records (of {@code model} when not null), newest first, at most {@code limit}. */
    List<AttributionRecord> recent(String model, int limit) {
        return db.read(c -> {
            List<AttributionRecord> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement(model == null
                    ? "SELECT record FROM attribution_record ORDER BY created_at DESC, rowid DESC LIMIT ?"
                    : "SELECT record FROM attribution_record WHERE model = ? ORDER BY created_at DESC, rowid DESC"
                    + " LIMIT ?")) {
                int i = 1;
                if (model != null) {
                    st.setString(i++, model);
                }
                st.setInt(i, limit);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(parse(rs.getString(1), AttributionRecord.class));
                    }
                }
            }
            return out;
        });
    }

    /** Records still pending when the node stopped (their work was in memory). */
    List<AttributionRecord> pending() {
        return db.read(c -> {
            List<AttributionRecord> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT record FROM attribution_record WHERE state = 'pending'");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(parse(rs.getString(1), AttributionRecord.class));
                }
            }
            return out;
        });
    }

    void putIndex(InfluenceIndexInfo info) {
        String json = json(info);
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO influence_index (adapter, info) VALUES (?, ?)"
                    + " ON CONFLICT(adapter) DO UPDATE SET info = excluded.info")) {
                st.setString(1, info.adapter());
                st.setString(2, json);
                st.executeUpdate();
            }
            return null;
        });
    }

    List<InfluenceIndexInfo> indexes() {
        return db.read(c -> {
            List<InfluenceIndexInfo> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT info FROM influence_index ORDER BY adapter");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(parse(rs.getString(1), InfluenceIndexInfo.class));
                }
            }
            return out;
        });
    }

    /** Credits after {@code afterId}, oldest first, at most {@code max}. */
    List<Credit> creditsSince(long afterId, int max) {
        return db.read(c -> {
            List<Credit> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT id, record_id, account, role, amount_wei,"
                    + " datanet_id FROM attribution_credit WHERE id > ? ORDER BY id LIMIT ?")) {
                st.setLong(1, afterId);
                st.setInt(2, max);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Credit(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6)));
                    }
                }
            }
            return out;
        });
    }

    void putPrice(String model, org.openledger.studio.api.attribution.Pricing.Price p) {
        String json = json(p);
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO price (model, price) VALUES (?, ?)"
                    + " ON CONFLICT(model) DO UPDATE SET price = excluded.price")) {
                st.setString(1, model);
                st.setString(2, json);
                st.executeUpdate();
            }
            return null;
        });
    }

    /** Stored prices by model ("" is the default set through the API). */
    java.util.Map<String, org.openledger.studio.api.attribution.Pricing.Price> prices() {
        return db.read(c -> {
            java.util.Map<String, org.openledger.studio.api.attribution.Pricing.Price> out = new java.util.TreeMap<>();
            try (PreparedStatement st = c.prepareStatement("SELECT model, price FROM price");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), parse(rs.getString(2),
                            org.openledger.studio.api.attribution.Pricing.Price.class));
                }
            }
            return out;
        });
    }

    /** Whether a batch of rows (an upload, a job's inline rows) is in the span corpus. */
    boolean hasSpanBatch(String batch) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT 1 FROM span_batch WHERE batch = ?")) {
                st.setString(1, batch);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** The id the next span row gets: row ids are dense, in the order batches were added. */
    long nextSpanRow() {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT COALESCE(MAX(id), -1) + 1 FROM span_row");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Records a batch's rows (ids from {@code first} on) once its shard is written: all of them or none. */
    void putSpanBatch(String batch, long first, List<org.openledger.studio.attribution.influence.IndexedRow> rows) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT OR REPLACE INTO span_row (id, batch, source,"
                    + " datanet_id, upload_id, seq, contributor, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < rows.size(); i++) {
                    var r = rows.get(i);
                    st.setLong(1, first + i);
                    st.setString(2, batch);
                    st.setString(3, r.source());
                    st.setString(4, r.datanetId());
                    st.setString(5, r.uploadId());
                    if (r.seq() == null) {
                        st.setNull(6, java.sql.Types.INTEGER);
                    } else {
                        st.setInt(6, r.seq());
                    }
                    st.setString(7, r.contributor());
                    st.setString(8, r.shownText());
                    st.addBatch();
                }
                st.executeBatch();
            }
            try (PreparedStatement st = c.prepareStatement("INSERT OR REPLACE INTO span_batch (batch, rows, created_at)"
                    + " VALUES (?, ?, ?)")) {
                st.setString(1, batch);
                st.setInt(2, rows.size());
                st.setLong(3, System.currentTimeMillis());
                st.executeUpdate();
            }
            return null;
        });
    }

    /** A span corpus row by id, or null. */
    org.openledger.studio.attribution.influence.IndexedRow spanRow(long id) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT source, datanet_id, upload_id, seq, contributor,"
                    + " text FROM span_row WHERE id = ?")) {
                st.setLong(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    int seq = rs.getInt(4);
                    Integer boxed = rs.wasNull() ? null : seq;
                    return new org.openledger.studio.attribution.influence.IndexedRow(rs.getString(1),
                            rs.getString(2), rs.getString(3), boxed, rs.getString(5), rs.getString(6));
                }
            }
        });
    }

    private static String json(Object o) {
        try {
            return Wire.mapper().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T parse(String json, Class<T> type) {
        try {
            return Wire.mapper().readValue(json, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a stored attribution row cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
