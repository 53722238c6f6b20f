package org.openledger.studio.datanet.workspace;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openledger.studio.datanet.check.Finding;
import org.openledger.studio.datanet.check.FindingKind;
import org.openledger.studio.datanet.check.RowChecks;
import org.openledger.studio.datanet.ingest.IngestedRow;
import org.openledger.studio.datanet.ingest.Provenance;
import org.openledger.studio.store.Database;

/** Rows of all Datanets: idempotent inserts, curation (accept/reject), and the curation table's queries. */
public final class RowStore {

    /** A row ready to store: what ingest read and what the checks found. */
    record Prepared(IngestedRow row, RowChecks.CheckedRow checked) {
    }

    private final Database db;
    private final Clock clock;

    RowStore(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Stores rows in the caller's transaction. A row already stored under the same Datanet, source and hash is not
     * stored again; it moves to {@code batchId}, so that re-adding a file (or resuming after a crash) gives one batch
     * holding every row of the file, each once. Returns how many rows were new.
     */
    int insert(Connection c, long datanetId, long batchId, List<Prepared> rows) throws SQLException {
        int inserted = 0;
        long now = clock.millis();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO datanet_row (datanet_id, batch_id, text, hash, "
                + "signature, source, file, line, char_offset, page, contributor, blocking, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (datanet_id, source, hash) DO NOTHING "
                + "RETURNING id");
             PreparedStatement move = c.prepareStatement(
                     "UPDATE datanet_row SET batch_id = ? WHERE datanet_id = ? AND source = ? AND hash = ?");
             PreparedStatement finding = c.prepareStatement(
                     "INSERT INTO finding (row_id, kind, span_start, span_end, detail) VALUES (?, ?, ?, ?, ?)")) {
            for (Prepared p : rows) {
                Provenance prov = p.row().provenance();
                String source = prov.source();
                insert.setLong(1, datanetId);
                insert.setLong(2, batchId);
                insert.setString(3, p.row().text());
                insert.setBytes(4, p.checked().hash());
                insert.setBytes(5, Signatures.toBytes(p.checked().signature()));
                insert.setString(6, source);
                insert.setString(7, prov.file());
                insert.setLong(8, prov.line());
                insert.setLong(9, prov.offset());
                insert.setInt(10, prov.page());
                insert.setString(11, prov.contributor());
                insert.setInt(12, p.checked().blocking() ? 1 : 0);
                insert.setLong(13, now);
                long id = -1;
                try (ResultSet rs = insert.executeQuery()) {
                    if (rs.next()) {
                        id = rs.getLong(1);
                    }
                }
                if (id < 0) {
                    move.setLong(1, batchId);
                    move.setLong(2, datanetId);
                    move.setString(3, source);
                    move.setBytes(4, p.checked().hash());
                    move.executeUpdate();
                    continue;
                }
                inserted++;
                for (Finding f : p.checked().findings()) {
                    finding.setLong(1, id);
                    finding.setString(2, f.kind().jsonName());
                    finding.setInt(3, f.start());
                    finding.setInt(4, f.end());
                    finding.setString(5, f.detail());
                    finding.executeUpdate();
                }
            }
        }
        return inserted;
    }

    /** Sets the curation state of rows; returns how many changed. */
    public int setStatus(Collection<Long> rowIds, RowStatus status) {
        return db.transaction(c -> {
            int n = 0;
            try (PreparedStatement st = c.prepareStatement("UPDATE datanet_row SET status = ? WHERE id = ?")) {
                for (long id : rowIds) {
                    st.setString(1, status.sql());
                    st.setLong(2, id);
                    n += st.executeUpdate();
                }
            }
            return n;
        });
    }

    /** A page of a Datanet's rows, newest first within a batch order of id. */
    public List<StoredRow> rows(long datanetId, RowQuery q) {
        StringBuilder sql = new StringBuilder("SELECT r.id, r.batch_id, r.text, r.hash, r.file, r.line, r.char_offset, "
                + "r.page, r.contributor, r.status, r.blocking FROM datanet_row r");
        List<Object> args = new ArrayList<>();
        if (q.search() != null && !q.search().isBlank()) {
            sql.append(" JOIN datanet_row_fts f ON f.rowid = r.id AND datanet_row_fts MATCH ?");
            args.add(ftsQuery(q.search()));
        }
        sql.append(" WHERE r.datanet_id = ?");
        args.add(datanetId);
        if (q.status() != null) {
            sql.append(" AND r.status = ?");
            args.add(q.status().sql());
        }
        if (q.batchId() > 0) {
            sql.append(" AND r.batch_id = ?");
            args.add(q.batchId());
        }
        if (q.onlyBlocking()) {
            sql.append(" AND r.blocking = 1");
        }
        sql.append(" ORDER BY r.id LIMIT ? OFFSET ?");
        args.add(q.limit());
        args.add(q.offset());
        return db.read(c -> {
            List<StoredRow> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    st.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        out.add(new StoredRow(id, datanetId, rs.getLong(2), rs.getString(3), rs.getBytes(4),
                                new Provenance(rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getInt(8),
                                        rs.getString(9)),
                                RowStatus.fromSql(rs.getString(10)), rs.getInt(11) == 1, List.of()));
                    }
                }
            }
            Map<Long, List<Finding>> findings = findings(c, out.stream().map(StoredRow::id).toList());
            List<StoredRow> withFindings = new ArrayList<>(out.size());
            for (StoredRow r : out) {
                withFindings.add(new StoredRow(r.id(), r.datanetId(), r.batchId(), r.text(), r.hash(), r.provenance(),
                        r.status(), r.blocking(), findings.getOrDefault(r.id(), List.of())));
            }
            return withFindings;
        });
    }

    /** How many rows a Datanet has in a state (null: all). */
    public long count(long datanetId, RowStatus status) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM datanet_row WHERE datanet_id = ?"
                    + (status == null ? "" : " AND status = ?"))) {
                st.setLong(1, datanetId);
                if (status != null) {
                    st.setString(2, status.sql());
                }
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    static Map<Long, List<Finding>> findings(Connection c, List<Long> rowIds) throws SQLException {
        Map<Long, List<Finding>> out = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT kind, span_start, span_end, detail FROM finding WHERE row_id = ? ORDER BY span_start")) {
            for (long id : rowIds) {
                st.setLong(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(id, k -> new ArrayList<>()).add(new Finding(
                                FindingKind.fromJsonName(rs.getString(1)), rs.getInt(2), rs.getInt(3), rs.getString(4)));
                    }
                }
            }
        }
        return out;
    }

    /** User words as an FTS5 query: each word quoted (so punctuation is not syntax), a trailing * kept as prefix. */
    static String ftsQuery(String search) {
        StringBuilder b = new StringBuilder();
        for (String word : search.trim().split("\\s+")) {
            boolean prefix = word.endsWith("*");
            String w = (prefix ? word.substring(0, word.length() - 1) : word).replace("\"", "\"\"");
            if (w.isEmpty()) {
                continue;
            }
            b.append(b.length() > 0 ? " " : "").append('"').append(w).append('"').append(prefix ? "*" : "");
        }
        return b.toString();
    }
}
