package org.openledger.studio.daemon.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.openledger.studio.datanet.contribution.PlannedChunk;
import org.openledger.studio.datanet.contribution.SignedManifest;
import org.openledger.studio.datanet.contribution.UploadRow;
import org.openledger.studio.store.CrashPoint;
import org.openledger.studio.store.Database;
import org.openledger.studio.store.Migration;

/**
 * The node's Datanet registry on disk ({@code registry.db}, SQLite WAL): open uploads with their signed manifest and
 * chunk plan, the verified chunks received so far, and the stored rows with their MinHash signatures. Every step is
 * one transaction, so a node stopped at any point keeps what it had acknowledged and nothing half-done.
 */
public final class RegistryStore implements AutoCloseable {

    static final List<Migration> MIGRATIONS = List.of(Migration.sql(1, "datanet registry",
            "CREATE TABLE upload (id TEXT PRIMARY KEY, datanet_id TEXT NOT NULL, contributor TEXT NOT NULL,"
                    + " nonce TEXT NOT NULL, merkle_root TEXT NOT NULL, manifest TEXT NOT NULL, chunks TEXT NOT NULL,"
                    + " state TEXT NOT NULL, created_at INTEGER NOT NULL, finished_at INTEGER,"
                    + " UNIQUE (datanet_id, contributor, nonce))",
            "CREATE TABLE upload_chunk (upload_id TEXT NOT NULL REFERENCES upload(id), idx INTEGER NOT NULL,"
                    + " payload BLOB NOT NULL, received_at INTEGER NOT NULL, PRIMARY KEY (upload_id, idx))",
            "CREATE TABLE registry_row (upload_id TEXT NOT NULL REFERENCES upload(id), seq INTEGER NOT NULL,"
                    + " datanet_id TEXT NOT NULL, hash TEXT NOT NULL, source TEXT NOT NULL, text TEXT NOT NULL,"
                    + " contributor TEXT NOT NULL, signature BLOB NOT NULL, PRIMARY KEY (upload_id, seq))",
            "CREATE INDEX registry_row_datanet ON registry_row (datanet_id, hash)"));

    /** An upload as stored. */
    record StoredUpload(String id, String datanetId, String contributor, String nonce, String merkleRoot,
                        SignedManifest manifest, List<PlannedChunk> chunks, String state, int rows) {
    }

    /** A stored row with its signature, for rebuilding the index. */
    record IndexedRow(String datanetId, String hash, int[] signature) {
    }

    private final Database db;
    private final ObjectMapper json = new ObjectMapper();

    private RegistryStore(Database db) {
        this.db = db;
    }

    public static RegistryStore open(Path dataDir) {
        return new RegistryStore(Database.open(dataDir.resolve("registry.db"), MIGRATIONS));
    }

    /** The upload with this datanet, contributor and nonce, if one was opened. */
    Optional<StoredUpload> find(String datanetId, String contributor, String nonce) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT id FROM upload WHERE datanet_id = ? AND contributor = ?"
                    + " AND nonce = ?")) {
                st.setString(1, datanetId);
                st.setString(2, contributor.toLowerCase());
                st.setString(3, nonce);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(get(c, rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    void insert(String id, SignedManifest manifest, List<PlannedChunk> chunks, long now) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO upload (id, datanet_id, contributor, nonce, "
                    + "merkle_root, manifest, chunks, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)")) {
                st.setString(1, id);
                st.setString(2, manifest.manifest().datanetId().toString());
                st.setString(3, manifest.manifest().contributor().toLowerCase());
                st.setString(4, manifest.manifest().nonce().toString());
                st.setString(5, manifest.manifest().merkleRoot().toLowerCase());
                st.setString(6, write(manifest));
                st.setString(7, write(chunks));
                st.setLong(8, now);
                st.executeUpdate();
            }
            return null;
        });
    }

    Optional<StoredUpload> get(String id) {
        return db.read(c -> {
            try {
                return Optional.of(get(c, id));
            } catch (UnknownUploadException e) {
                return Optional.empty();
            }
        });
    }

    private StoredUpload get(Connection c, String id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT datanet_id, contributor, nonce, merkle_root, manifest, "
                + "chunks, state, (SELECT COUNT(*) FROM registry_row WHERE upload_id = u.id) FROM upload u WHERE id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new UnknownUploadException(id);
                }
                return new StoredUpload(id, rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        read(rs.getString(5), new TypeReference<SignedManifest>() { }),
                        read(rs.getString(6), new TypeReference<List<PlannedChunk>>() { }), rs.getString(7),
                        rs.getInt(8));
            }
        }
    }

    TreeSet<Integer> receivedChunks(String id) {
        return db.read(c -> {
            TreeSet<Integer> out = new TreeSet<>();
            try (PreparedStatement st = c.prepareStatement("SELECT idx FROM upload_chunk WHERE upload_id = ?")) {
                st.setString(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getInt(1));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Keeps a verified chunk; receiving the same chunk again is a no-op. A chunk of an expired upload opens it again
     * (its sender is resuming after the node dropped what it had sent).
     */
    void putChunk(String id, int index, byte[] payload, long now) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT OR IGNORE INTO upload_chunk (upload_id, idx, payload, "
                    + "received_at) VALUES (?, ?, ?, ?)")) {
                st.setString(1, id);
                st.setInt(2, index);
                st.setBytes(3, payload);
                st.setLong(4, now);
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("UPDATE upload SET state = 'open' WHERE id = ? AND state = '"
                    + EXPIRED + "'")) {
                st.setString(1, id);
                st.executeUpdate();
            }
            CrashPoint.reach("registry.chunk"); // inside the transaction: the chunk must be all there or not at all
            return null;
        });
    }

    /** The state of an upload whose received chunks were dropped after it was left untouched. */
    static final String EXPIRED = "expired";

    /**
     * Drops the received chunks of every open upload untouched (opened, or a chunk received) before {@code cutoff}
     * and marks it {@value #EXPIRED}; its signed manifest and plan stay, so its sender can send the chunks again.
     * One transaction: a chunk arriving meanwhile either counts as a touch or opens the upload again after.
     *
     * @return the ids of the uploads expired
     */
    List<String> expireOpen(long cutoff) {
        return db.transaction(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT u.id FROM upload u WHERE u.state = 'open' AND"
                    + " MAX(u.created_at, COALESCE((SELECT MAX(received_at) FROM upload_chunk k"
                    + " WHERE k.upload_id = u.id), 0)) < ?")) {
                st.setLong(1, cutoff);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            for (String id : ids) {
                try (PreparedStatement st = c.prepareStatement("DELETE FROM upload_chunk WHERE upload_id = ?")) {
                    st.setString(1, id);
                    st.executeUpdate();
                }
                try (PreparedStatement st = c.prepareStatement("UPDATE upload SET state = '" + EXPIRED
                        + "' WHERE id = ?")) {
                    st.setString(1, id);
                    st.executeUpdate();
                }
            }
            return ids;
        });
    }

    /** Bytes of chunk payloads held for uploads not finished yet. */
    long stagedBytes() {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT COALESCE(SUM(LENGTH(payload)), 0) FROM upload_chunk");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    byte[] chunk(String id, int index) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT payload FROM upload_chunk WHERE upload_id = ? AND idx = ?")) {
                st.setString(1, id);
                st.setInt(2, index);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
    }

    /** A row to store at finish: its place in the upload, the row and its MinHash signature. */
    record NewRow(int seq, UploadRow row, int[] signature) {
    }

    /**
     * Stores the rows and closes the upload in one transaction; rows already stored (a finish retried) are kept once.
     */
    void complete(StoredUpload upload, List<NewRow> rows, long now) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT OR IGNORE INTO registry_row (upload_id, seq, datanet_id,"
                    + " hash, source, text, contributor, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (NewRow r : rows) {
                    st.setString(1, upload.id());
                    st.setInt(2, r.seq());
                    st.setString(3, upload.datanetId());
                    st.setString(4, r.row().hash().toLowerCase());
                    st.setString(5, r.row().source());
                    st.setString(6, r.row().text());
                    st.setString(7, upload.contributor());
                    st.setBytes(8, toBytes(r.signature()));
                    st.addBatch();
                }
                st.executeBatch();
            }
            CrashPoint.reach("registry.complete"); // rows written, the upload not yet closed: one transaction
            try (PreparedStatement st = c.prepareStatement("UPDATE upload SET state = 'complete', finished_at = ? "
                    + "WHERE id = ?")) {
                st.setLong(1, now);
                st.setString(2, upload.id());
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("DELETE FROM upload_chunk WHERE upload_id = ?")) {
                st.setString(1, upload.id());
                st.executeUpdate();
            }
            return null;
        });
    }

    /** A stored row's hash and MinHash signature, or null. */
    IndexedRow rowSignature(String uploadId, int seq) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT datanet_id, hash, signature FROM registry_row"
                    + " WHERE upload_id = ? AND seq = ?")) {
                st.setString(1, uploadId);
                st.setInt(2, seq);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? new IndexedRow(rs.getString(1), rs.getString(2), fromBytes(rs.getBytes(3)))
                            : null;
                }
            }
        });
    }

    /** The earliest finished row of the Datanet with one of these hashes (oldest upload, then lowest seq), or null. */
    StoredRow earliestWithHash(String datanetId, java.util.Collection<String> hashes) {
        if (hashes.isEmpty()) {
            return null;
        }
        return db.read(c -> {
            String marks = String.join(",", java.util.Collections.nCopies(hashes.size(), "?"));
            try (PreparedStatement st = c.prepareStatement("SELECT r.datanet_id, r.upload_id, r.seq, r.hash,"
                    + " r.contributor, r.text FROM registry_row r JOIN upload u ON u.id = r.upload_id WHERE"
                    + " r.datanet_id = ? AND u.state = 'complete' AND r.hash IN (" + marks + ")"
                    + " ORDER BY u.finished_at, u.id, r.seq LIMIT 1")) {
                st.setString(1, datanetId);
                int i = 2;
                for (String h : hashes) {
                    st.setString(i++, h);
                }
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? new StoredRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                            rs.getString(5), rs.getString(6)) : null;
                }
            }
        });
    }

    /** The finished uploads whose manifest root (0x + lowercase hex) is one of {@code roots}. */
    java.util.Set<String> uploadsWithRoots(java.util.Set<String> roots) {
        if (roots.isEmpty()) {
            return java.util.Set.of();
        }
        return db.read(c -> {
            java.util.Set<String> out = new java.util.HashSet<>();
            String marks = String.join(",", java.util.Collections.nCopies(roots.size(), "?"));
            try (PreparedStatement st = c.prepareStatement("SELECT id FROM upload WHERE state = 'complete' AND"
                    + " lower(merkle_root) IN (" + marks + ")")) {
                int i = 1;
                for (String r : roots) {
                    st.setString(i++, r.toLowerCase());
                }
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** Every finished upload's id, oldest first. */
    List<String> completedUploads() {
        return db.read(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT id FROM upload WHERE state = 'complete'"
                    + " ORDER BY finished_at, id");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }

    /** The rows of one finished upload, in manifest order. */
    List<StoredRow> uploadRows(String uploadId) {
        return db.read(c -> {
            List<StoredRow> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT datanet_id, upload_id, seq, hash, contributor, text"
                    + " FROM registry_row WHERE upload_id = ? ORDER BY seq")) {
                st.setString(1, uploadId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                                rs.getString(5), rs.getString(6)));
                    }
                }
            }
            return out;
        });
    }

    /** The finished uploads of a Datanet, newest first. */
    List<StoredUpload> completed(String datanetId) {
        return db.read(c -> {
            List<String> ids = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT id FROM upload WHERE datanet_id = ? AND state = "
                    + "'complete' ORDER BY finished_at DESC")) {
                st.setString(1, datanetId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            List<StoredUpload> out = new ArrayList<>();
            for (String id : ids) {
                out.add(get(c, id));
            }
            return out;
        });
    }

    /** A stored row's text and provenance, for training on the Datanet. */
    public record StoredRow(String datanetId, String uploadId, int seq, String hash, String contributor,
                            String text) {
    }

    /** Every row of a Datanet in a stable order: uploads oldest first, rows in manifest order. */
    List<StoredRow> rows(String datanetId) {
        return db.read(c -> {
            List<StoredRow> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT r.datanet_id, r.upload_id, r.seq, r.hash,"
                    + " r.contributor, r.text FROM registry_row r JOIN upload u ON u.id = r.upload_id"
                    + " WHERE r.datanet_id = ? AND u.state = 'complete' ORDER BY u.finished_at, u.id, r.seq")) {
                st.setString(1, datanetId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                                rs.getString(5), rs.getString(6)));
                    }
                }
            }
            return out;
        });
    }

    /** Every stored row's signature, for the near-duplicate index built at start. */
    void forEachRow(java.util.function.Consumer<IndexedRow> sink) {
        db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT datanet_id, hash, signature FROM registry_row");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    sink.accept(new IndexedRow(rs.getString(1), rs.getString(2), fromBytes(rs.getBytes(3))));
                }
            }
            return null;
        });
    }

    /** How many rows the registry holds with this hash in this Datanet (a test and the operator's check). */
    long rowsWithHash(String datanetId, String hash) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT COUNT(*) FROM registry_row WHERE datanet_id = ? "
                    + "AND hash = ?")) {
                st.setString(1, datanetId);
                st.setString(2, hash.toLowerCase());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static byte[] toBytes(int[] signature) {
        ByteBuffer b = ByteBuffer.allocate(signature.length * 4);
        b.asIntBuffer().put(signature);
        return b.array();
    }

    private static int[] fromBytes(byte[] bytes) {
        int[] out = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).asIntBuffer().get(out);
        return out;
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("damaged registry record: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
