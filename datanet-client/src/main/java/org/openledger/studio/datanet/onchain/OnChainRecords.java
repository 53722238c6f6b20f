package org.openledger.studio.datanet.onchain;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.openledger.studio.datanet.contribution.UploadException;
import org.openledger.studio.datanet.workspace.Workspace;
import org.openledger.studio.store.Database;

/**
 * What the workspace remembers of the chain: which on-chain id each published Datanet has (per chain and registry),
 * and each contribution's on-chain status. The studio and {@code studio datanet} share the file, so a contribution
 * submitted from one is refused by the other.
 */
public final class OnChainRecords {

    private final Database db;
    private final Clock clock;

    public OnChainRecords(Workspace workspace, Clock clock) {
        this.db = workspace.database();
        this.clock = clock;
    }

    public Optional<OnChainDatanet> datanet(long datanetId, ChainRef chain) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT onchain_id, metadata_hash, tx_hash, block FROM "
                    + "datanet_chain WHERE datanet_id = ? AND chain_id = ? AND registry = ?")) {
                st.setLong(1, datanetId);
                st.setLong(2, chain.chainId());
                st.setString(3, chain.registry());
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? Optional.of(new OnChainDatanet(datanetId, chain,
                            new BigInteger(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getLong(4)))
                            : Optional.empty();
                }
            }
        });
    }

    /** Every chain the Datanet is published on. */
    public java.util.List<OnChainDatanet> published(long datanetId) {
        return db.read(c -> {
            java.util.List<OnChainDatanet> out = new java.util.ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT chain_id, registry, onchain_id, metadata_hash, "
                    + "tx_hash, block FROM datanet_chain WHERE datanet_id = ? ORDER BY chain_id")) {
                st.setLong(1, datanetId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OnChainDatanet(datanetId, new ChainRef(rs.getLong(1), rs.getString(2)),
                                new BigInteger(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getLong(6)));
                    }
                }
            }
            return out;
        });
    }

    /** Keeps the mapping; a Datanet is published once per chain and registry. */
    public void recordDatanet(OnChainDatanet d) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO datanet_chain (datanet_id, chain_id, registry, "
                    + "onchain_id, metadata_hash, tx_hash, block, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                st.setLong(1, d.datanetId());
                st.setLong(2, d.chain().chainId());
                st.setString(3, d.chain().registry());
                st.setString(4, d.onChainId().toString());
                st.setString(5, d.metadataHash());
                st.setString(6, d.txHash());
                st.setLong(7, d.block());
                st.setLong(8, clock.millis());
                st.executeUpdate();
            } catch (SQLException e) {
                if (String.valueOf(e.getMessage()).contains("UNIQUE") || String.valueOf(e.getMessage())
                        .contains("PRIMARY")) {
                    throw new UploadException("The Datanet is already recorded as published on chain "
                            + d.chain().chainId());
                }
                throw e;
            }
            return null;
        });
    }

    /** The contribution's on-chain status; {@code not submitted} when it has none. */
    public OnChainStatus status(long uploadId) {
        return db.read(c -> {
            Map<Long, OnChainStatus> m = statuses(c, "upload_id = ?", uploadId);
            return m.getOrDefault(uploadId, OnChainStatus.notSubmitted(uploadId));
        });
    }

    /** The on-chain status of every submitted contribution of a Datanet, by upload id. */
    public Map<Long, OnChainStatus> statuses(long datanetId) {
        return db.read(c -> statuses(c, "upload_id IN (SELECT id FROM upload WHERE datanet_id = ?)", datanetId));
    }

    private static Map<Long, OnChainStatus> statuses(Connection c, String where, long arg) throws SQLException {
        Map<Long, OnChainStatus> out = new HashMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT upload_id, status, chain_id, registry, "
                + "onchain_datanet_id, tx_hash, block, contribution_id, stake, reason, updated_at FROM upload_chain "
                + "WHERE " + where)) {
            st.setLong(1, arg);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long block = rs.getLong(7);
                    Long b = rs.wasNull() ? null : block;
                    String contribution = rs.getString(8);
                    out.put(rs.getLong(1), new OnChainStatus(rs.getLong(1), OnChainStatus.Stage.fromSql(rs.getString(2)),
                            new ChainRef(rs.getLong(3), rs.getString(4)), new BigInteger(rs.getString(5)),
                            rs.getString(6), b, contribution == null ? null : new BigInteger(contribution),
                            new BigInteger(rs.getString(9)), rs.getString(10), Instant.ofEpochMilli(rs.getLong(11))));
                }
            }
        }
        return out;
    }

    /**
     * Records the broadcast transaction of a submission. Refused when the contribution already has a pending or
     * confirmed one (a reverted one may be tried again).
     */
    public void markPending(long uploadId, ChainRef chain, BigInteger onChainDatanetId, BigInteger stake,
                            String txHash) {
        db.transaction(c -> {
            OnChainStatus now = statuses(c, "upload_id = ?", uploadId).get(uploadId);
            if (now != null && now.submitted()) {
                throw new UploadException("Contribution " + uploadId + " is already submitted: " + now.describe());
            }
            try (PreparedStatement st = c.prepareStatement("INSERT OR REPLACE INTO upload_chain (upload_id, chain_id, "
                    + "registry, onchain_datanet_id, status, tx_hash, block, contribution_id, stake, reason, updated_at)"
                    + " VALUES (?, ?, ?, ?, 'pending', ?, NULL, NULL, ?, NULL, ?)")) {
                st.setLong(1, uploadId);
                st.setLong(2, chain.chainId());
                st.setString(3, chain.registry());
                st.setString(4, onChainDatanetId.toString());
                st.setString(5, txHash);
                st.setString(6, stake.toString());
                st.setLong(7, clock.millis());
                st.executeUpdate();
            }
            return null;
        });
    }

    public void markConfirmed(long uploadId, long block, BigInteger contributionId) {
        update(uploadId, OnChainStatus.Stage.CONFIRMED, block, contributionId, null);
    }

    public void markReverted(long uploadId, long block, String reason) {
        update(uploadId, OnChainStatus.Stage.REVERTED, block, null, reason);
    }

    public void markChallenged(long uploadId) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE upload_chain SET status = 'challenged', "
                    + "updated_at = ? WHERE upload_id = ? AND status = 'confirmed'")) {
                st.setLong(1, clock.millis());
                st.setLong(2, uploadId);
                st.executeUpdate();
            }
            return null;
        });
    }

    private void update(long uploadId, OnChainStatus.Stage stage, long block, BigInteger contributionId,
                        String reason) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE upload_chain SET status = ?, block = ?, "
                    + "contribution_id = ?, reason = ?, updated_at = ? WHERE upload_id = ?")) {
                st.setString(1, stage.sql());
                st.setLong(2, block);
                if (contributionId == null) {
                    st.setNull(3, Types.VARCHAR);
                } else {
                    st.setString(3, contributionId.toString());
                }
                st.setString(4, reason);
                st.setLong(5, clock.millis());
                st.setLong(6, uploadId);
                if (st.executeUpdate() == 0) {
                    throw new UploadException("Contribution " + uploadId + " has no submission to update");
                }
            }
            return null;
        });
    }
}
