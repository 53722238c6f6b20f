package org.openledger.studio.datanet.contribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.openledger.studio.datanet.check.RowHash;
import org.openledger.studio.datanet.ingest.ProgressListener;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.Workspace;
import org.openledger.studio.store.Database;

/**
 * Contributions of a workspace's rows: prepare (choose rows, build manifest and chunk plan), sign (through the
 * wallet's {@link ManifestSigner}), upload (chunk by chunk, each recorded as sent in the workspace as soon as the
 * node takes it, so an upload stopped at any point — paused, killed, node restarted — resumes where it was), and
 * the history. The node's word on which chunks it holds wins on resume.
 */
public final class ContributionUploads {

    private final Workspace workspace;
    private final Database db;
    private final Clock clock;
    private final ChunkPayload payloads = new ChunkPayload();
    private final ObjectMapper json = new ObjectMapper();

    public ContributionUploads(Workspace workspace, Clock clock) {
        this.workspace = workspace;
        this.db = workspace.database();
        this.clock = clock;
    }

    /**
     * Gathers the Datanet's rows that are not rejected and not in an earlier contribution, one per distinct text,
     * and plans the upload.
     *
     * @param onChainDatanetId the Datanet's id in the registry contract
     * @param nonce            unique per contribution of this contributor (the registry refuses repeats)
     * @throws ContributionBlockedException when any such row has a secret or personal data
     * @throws UploadException when there is nothing to contribute or an earlier contribution is unfinished
     */
    public PreparedContribution prepare(long datanetId, String contributor, BigInteger onChainDatanetId,
                                        BigInteger nonce, ChunkLimits limits) {
        Datanet datanet = workspace.datanets().get(datanetId);
        return db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT id FROM upload WHERE datanet_id = ? "
                    + "AND state IN ('prepared', 'signed', 'uploading')")) {
                st.setLong(1, datanetId);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        throw new UploadException("Contribution " + rs.getLong(1) + " of this Datanet is not finished;"
                                + " resume or discard it first");
                    }
                }
            }
            blockingRows(c, datanetId);
            Set<ByteBuffer> contributed = new HashSet<>();
            try (PreparedStatement st = c.prepareStatement("SELECT r.hash FROM upload_row ur JOIN upload u ON u.id = "
                    + "ur.upload_id JOIN datanet_row r ON r.id = ur.row_id WHERE u.datanet_id = ? AND u.state != 'discarded'")) {
                st.setLong(1, datanetId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        contributed.add(ByteBuffer.wrap(rs.getBytes(1)));
                    }
                }
            }
            List<Long> rowIds = new ArrayList<>();
            List<byte[]> hashes = new ArrayList<>();
            int skipped = 0;
            try (PreparedStatement st = c.prepareStatement("SELECT id, hash FROM datanet_row WHERE datanet_id = ? "
                    + "AND status != 'rejected' ORDER BY id")) {
                st.setLong(1, datanetId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        byte[] hash = rs.getBytes(2);
                        if (!contributed.add(ByteBuffer.wrap(hash))) {
                            skipped++;
                            continue;
                        }
                        rowIds.add(rs.getLong(1));
                        hashes.add(hash);
                    }
                }
            }
            if (rowIds.isEmpty()) {
                throw new UploadException("Nothing to contribute: every row of \"" + datanet.name()
                        + "\" is rejected or already contributed");
            }
            ContributionManifest manifest = ContributionManifest.of(onChainDatanetId, contributor, datanet.licence(),
                    nonce, hashes);
            long uploadId;
            try (PreparedStatement st = c.prepareStatement("INSERT INTO upload (datanet_id, contributor, manifest, "
                    + "merkle_root, state, created_at) VALUES (?, ?, ?, ?, 'prepared', ?) RETURNING id")) {
                st.setLong(1, datanetId);
                st.setString(2, contributor);
                st.setString(3, json.createObjectNode().put("datanet_id", onChainDatanetId.toString())
                        .put("licence", datanet.licence()).put("nonce", nonce.toString()).toString());
                st.setString(4, manifest.merkleRoot());
                st.setLong(5, clock.millis());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    uploadId = rs.getLong(1);
                }
            } catch (SQLException e) {
                if (String.valueOf(e.getMessage()).contains("UNIQUE")) {
                    throw new UploadException("These exact rows were contributed before (same Merkle root)");
                }
                throw e;
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO upload_row (upload_id, seq, row_id) VALUES (?, ?, ?)")) {
                for (int i = 0; i < rowIds.size(); i++) {
                    st.setLong(1, uploadId);
                    st.setInt(2, i);
                    st.setLong(3, rowIds.get(i));
                    st.executeUpdate();
                }
            }
            List<PlannedChunk> chunks = planChunks(c, uploadId, limits);
            return new PreparedContribution(uploadId, manifest, chunks, skipped);
        });
    }

    private static void blockingRows(Connection c, long datanetId) throws SQLException {
        List<Long> ids = new ArrayList<>();
        long total = 0;
        try (PreparedStatement st = c.prepareStatement("SELECT id FROM datanet_row WHERE datanet_id = ? AND blocking = 1 "
                + "AND status != 'rejected' AND id NOT IN (SELECT ur.row_id FROM upload_row ur JOIN upload u "
                + "ON u.id = ur.upload_id WHERE u.datanet_id = ? AND u.state != 'discarded') ORDER BY id")) {
            st.setLong(1, datanetId);
            st.setLong(2, datanetId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    if (ids.size() < 20) {
                        ids.add(rs.getLong(1));
                    }
                    total++;
                }
            }
        }
        if (total > 0) {
            throw new ContributionBlockedException(ids, total);
        }
    }

    /** Cuts the rows into chunks within the limits and records each chunk's hash. */
    private List<PlannedChunk> planChunks(Connection c, long uploadId, ChunkLimits limits) throws SQLException {
        List<PlannedChunk> chunks = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        int first = 0;
        int count = 0;
        try (PreparedStatement st = c.prepareStatement("SELECT r.hash, r.source, r.text FROM upload_row ur JOIN "
                + "datanet_row r ON r.id = ur.row_id WHERE ur.upload_id = ? ORDER BY ur.seq")) {
            st.setLong(1, uploadId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    byte[] line = payloads.line(new UploadRow(RowHash.hex(rs.getBytes(1)), rs.getString(2), rs.getString(3)));
                    if (count > 0 && (count >= limits.maxRows() || current.size() + line.length > limits.maxBytes())) {
                        chunks.add(new PlannedChunk(chunks.size(), first, count, ChunkPayload.hash(current.toByteArray()),
                                current.size()));
                        first += count;
                        count = 0;
                        current.reset();
                    }
                    current.writeBytes(line);
                    count++;
                }
            }
        }
        chunks.add(new PlannedChunk(chunks.size(), first, count, ChunkPayload.hash(current.toByteArray()), current.size()));
        try (PreparedStatement st = c.prepareStatement("INSERT INTO upload_chunk (upload_id, idx, first_seq, row_count, "
                + "hash, bytes) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (PlannedChunk p : chunks) {
                st.setLong(1, uploadId);
                st.setInt(2, p.index());
                st.setInt(3, p.firstRow());
                st.setInt(4, p.rowCount());
                st.setString(5, p.hash());
                st.setLong(6, p.bytes());
                st.executeUpdate();
            }
        }
        return chunks;
    }

    /** The manifest of an upload, rebuilt from the workspace. */
    public ContributionManifest manifest(long uploadId) {
        return db.read(c -> manifest(c, uploadId));
    }

    private ContributionManifest manifest(Connection c, long uploadId) throws SQLException {
        String contributor;
        JsonNode header;
        String root;
        try (PreparedStatement st = c.prepareStatement("SELECT contributor, manifest, merkle_root FROM upload WHERE id = ?")) {
            st.setLong(1, uploadId);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new UploadException("No contribution with id " + uploadId);
                }
                contributor = rs.getString(1);
                header = parse(rs.getString(2));
                root = rs.getString(3);
            }
        }
        List<String> hashes = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT r.hash FROM upload_row ur JOIN datanet_row r ON "
                + "r.id = ur.row_id WHERE ur.upload_id = ? ORDER BY ur.seq")) {
            st.setLong(1, uploadId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    hashes.add(RowHash.hex(rs.getBytes(1)));
                }
            }
        }
        return new ContributionManifest(new BigInteger(header.get("datanet_id").asText()), contributor,
                header.get("licence").asText(), new BigInteger(header.get("nonce").asText()), hashes.size(), root, hashes);
    }

    public List<PlannedChunk> chunks(long uploadId) {
        return db.read(c -> chunks(c, uploadId));
    }

    private static List<PlannedChunk> chunks(Connection c, long uploadId) throws SQLException {
        List<PlannedChunk> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT idx, first_seq, row_count, hash, bytes FROM upload_chunk "
                + "WHERE upload_id = ? ORDER BY idx")) {
            st.setLong(1, uploadId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new PlannedChunk(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getString(4), rs.getLong(5)));
                }
            }
        }
        return out;
    }

    /**
     * Has the wallet sign the manifest and keeps the signature.
     *
     * @throws UploadException when the signer is not the manifest's contributor or the signature does not verify
     */
    public SignedManifest sign(long uploadId, ManifestSigner signer, ManifestDomain domain) {
        ContributionManifest m = manifest(uploadId);
        if (!signer.address().equalsIgnoreCase(m.contributor())) {
            throw new UploadException("The contribution is by " + m.contributor() + " but the wallet account is "
                    + signer.address() + "; switch accounts or prepare it again");
        }
        ManifestTypedData typed = new ManifestTypedData(m, domain);
        SignedManifest signed = SignedManifest.of(m, signer.sign(typed.digest(), typed.json()));
        if (!signed.signedByContributor(domain)) {
            throw new UploadException("The wallet's signature does not verify for " + m.contributor());
        }
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "UPDATE upload SET signature = ?, state = 'signed' WHERE id = ? AND state IN ('prepared', 'signed')")) {
                st.setString(1, signed.signature());
                st.setLong(2, uploadId);
                if (st.executeUpdate() == 0) {
                    throw new UploadException("Contribution " + uploadId + " is already being uploaded");
                }
            }
            return null;
        });
        return signed;
    }

    /**
     * Sends what the node does not have yet. Returns when every chunk is in and the node has the contribution, or
     * when {@code pause} says so between chunks; call again to resume. A chunk the node refuses is sent once more
     * (read afresh from the workspace); refused again, the upload stops with an {@link UploadException}.
     */
    public UploadState upload(long uploadId, RegistryClient client, ProgressListener progress, BooleanSupplier pause) {
        UploadState state = state(uploadId);
        if (state.stage() == UploadState.Stage.COMPLETE) {
            return state;
        }
        if (state.stage() == UploadState.Stage.PREPARED || state.stage() == UploadState.Stage.DISCARDED) {
            throw new UploadException("Contribution " + uploadId + " is " + state.stage().sql() + "; sign it first");
        }
        ContributionManifest manifest = manifest(uploadId);
        List<PlannedChunk> chunks = chunks(uploadId);
        String remoteId = state.remoteId();
        if (remoteId == null) {
            String signature = db.read(c -> {
                try (PreparedStatement st = c.prepareStatement("SELECT signature FROM upload WHERE id = ?")) {
                    st.setLong(1, uploadId);
                    try (ResultSet rs = st.executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                    }
                }
            });
            RegistryClient.RemoteUpload remote = client.open(new SignedManifest(manifest, signature), chunks);
            remoteId = remote.id();
            String id = remoteId;
            db.transaction(c -> {
                try (PreparedStatement st = c.prepareStatement(
                        "UPDATE upload SET remote_id = ?, state = 'uploading' WHERE id = ?")) {
                    st.setString(1, id);
                    st.setLong(2, uploadId);
                    st.executeUpdate();
                }
                return null;
            });
        }
        Set<Integer> held = client.receivedChunks(remoteId);
        int sent = 0;
        for (PlannedChunk chunk : chunks) {
            if (held.contains(chunk.index())) {
                markSent(uploadId, chunk.index(), true);
                sent++;
                continue;
            }
            if (pause.getAsBoolean()) {
                return state(uploadId);
            }
            send(uploadId, remoteId, client, chunk);
            sent++;
            progress.progress(sent, chunks.size());
        }
        RegistryClient.ContributionReceipt receipt = client.finish(remoteId);
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE upload SET state = 'complete' WHERE id = ?")) {
                st.setLong(1, uploadId);
                st.executeUpdate();
            }
            return null;
        });
        if (receipt.rows() != manifest.rowCount()) {
            throw new UploadException("The node stored " + receipt.rows() + " rows of " + manifest.rowCount());
        }
        return state(uploadId);
    }

    private void send(long uploadId, String remoteId, RegistryClient client, PlannedChunk chunk) {
        for (int attempt = 1; ; attempt++) {
            byte[] payload = payload(uploadId, chunk);
            String hash = ChunkPayload.hash(payload);
            if (!hash.equalsIgnoreCase(chunk.hash())) {
                throw new UploadException("Chunk " + chunk.index() + " no longer matches the signed manifest (its rows "
                        + "changed in the workspace); discard this contribution and prepare a new one");
            }
            RegistryClient.ChunkReceipt receipt = client.sendChunk(remoteId, chunk.index(), payload, hash);
            if (receipt.accepted()) {
                markSent(uploadId, chunk.index(), false);
                return;
            }
            if (attempt == 2) {
                throw new UploadException("The node refused chunk " + chunk.index() + " twice: " + receipt.reason());
            }
        }
    }

    private byte[] payload(long uploadId, PlannedChunk chunk) {
        return db.read(c -> {
            List<UploadRow> rows = new ArrayList<>(chunk.rowCount());
            try (PreparedStatement st = c.prepareStatement("SELECT r.hash, r.source, r.text FROM upload_row ur JOIN "
                    + "datanet_row r ON r.id = ur.row_id WHERE ur.upload_id = ? AND ur.seq >= ? AND ur.seq < ? ORDER BY ur.seq")) {
                st.setLong(1, uploadId);
                st.setInt(2, chunk.firstRow());
                st.setInt(3, chunk.firstRow() + chunk.rowCount());
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new UploadRow(RowHash.hex(rs.getBytes(1)), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return payloads.encode(rows);
        });
    }

    private void markSent(long uploadId, int index, boolean onlyIfUnmarked) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE upload_chunk SET sent_at = ? WHERE upload_id = ? "
                    + "AND idx = ?" + (onlyIfUnmarked ? " AND sent_at IS NULL" : ""))) {
                st.setLong(1, clock.millis());
                st.setLong(2, uploadId);
                st.setInt(3, index);
                st.executeUpdate();
            }
            return null;
        });
    }

    /** Drops a contribution that has not reached the node; its rows can be contributed again. */
    public void discard(long uploadId) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE upload SET state = 'discarded', merkle_root = "
                    + "merkle_root || '-discarded-' || id WHERE id = ? AND remote_id IS NULL AND state != 'complete'")) {
                st.setLong(1, uploadId);
                if (st.executeUpdate() == 0) {
                    throw new UploadException("Contribution " + uploadId + " has reached the node and cannot be discarded");
                }
            }
            return null;
        });
    }

    public UploadState state(long uploadId) {
        return db.read(c -> {
            List<UploadState> states = states(c, "u.id = ?", uploadId);
            if (states.isEmpty()) {
                throw new UploadException("No contribution with id " + uploadId);
            }
            return states.get(0);
        });
    }

    /** The contribution history of a Datanet, newest first. */
    public List<UploadState> history(long datanetId) {
        return db.read(c -> states(c, "u.datanet_id = ?", datanetId));
    }

    private static List<UploadState> states(Connection c, String where, long arg) throws SQLException {
        List<UploadState> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT u.id, u.datanet_id, u.merkle_root, "
                + "(SELECT COUNT(*) FROM upload_row WHERE upload_id = u.id), u.state, "
                + "(SELECT COUNT(*) FROM upload_chunk WHERE upload_id = u.id AND sent_at IS NOT NULL), "
                + "(SELECT COUNT(*) FROM upload_chunk WHERE upload_id = u.id), u.remote_id, u.created_at "
                + "FROM upload u WHERE " + where + " ORDER BY u.id DESC")) {
            st.setLong(1, arg);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String root = rs.getString(3);
                    int cut = root.indexOf("-discarded-");
                    out.add(new UploadState(rs.getLong(1), rs.getLong(2), cut < 0 ? root : root.substring(0, cut),
                            rs.getInt(4), UploadState.Stage.fromSql(rs.getString(5)), rs.getInt(6), rs.getInt(7),
                            rs.getString(8), Instant.ofEpochMilli(rs.getLong(9))));
                }
            }
        }
        return out;
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("damaged upload record", e);
        }
    }
}
