package org.openledger.studio.datanet.workspace;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openledger.studio.datanet.check.CheckReport;
import org.openledger.studio.datanet.check.DuplicateGroup;
import org.openledger.studio.datanet.check.Finding;
import org.openledger.studio.datanet.check.FindingKind;
import org.openledger.studio.datanet.check.LshBands;
import org.openledger.studio.datanet.check.MinHasher;
import org.openledger.studio.datanet.check.NodeDuplicateIndex;
import org.openledger.studio.datanet.check.NearDuplicateSettings;
import org.openledger.studio.datanet.check.RedundancyCheck;
import org.openledger.studio.datanet.check.ReportFinding;
import org.openledger.studio.datanet.check.ReportRow;
import org.openledger.studio.datanet.check.RowHash;
import org.openledger.studio.datanet.check.Shingles;
import org.openledger.studio.datanet.check.UploadCheck;
import org.openledger.studio.datanet.ingest.LineProblem;
import org.openledger.studio.store.Database;

/**
 * The check report of one batch against itself and the rest of its Datanet (rejected rows left out). Signatures are
 * streamed from the database into band hashes; candidate pairs are verified by the exact Jaccard index of their
 * texts, read back by id, so precision does not depend on the MinHash estimate.
 */
final class WorkspaceCheck {

    private static final int SHINGLE_CACHE = 20_000;

    private final Database db;
    private final NearDuplicateSettings settings;

    WorkspaceCheck(Database db, NearDuplicateSettings settings) {
        this.db = db;
        this.settings = settings;
    }

    CheckReport check(long batchId, double threshold, NodeDuplicateIndex node) {
        NearDuplicateSettings s = settings.withThreshold(threshold);
        LshBands banding = s.banding();
        Shingles shingles = new Shingles(s.shingleWords());
        return db.read(c -> {
            long datanetId;
            try (PreparedStatement st = c.prepareStatement("SELECT datanet_id FROM batch WHERE id = ?")) {
                st.setLong(1, batchId);
                try (ResultSet rs = st.executeQuery()) {
                    if (!rs.next()) {
                        throw new WorkspaceException("No batch with id " + batchId);
                    }
                    datanetId = rs.getLong(1);
                }
            }
            int n;
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT COUNT(*) FROM datanet_row WHERE datanet_id = ? AND status != 'rejected'")) {
                st.setLong(1, datanetId);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    n = rs.getInt(1);
                }
            }
            long[] ids = new long[n];
            long[] prefixes = new long[n];
            int[] bands = new int[n * banding.bands()];
            int firstNew = 0;
            int i = 0;
            try (PreparedStatement st = c.prepareStatement("SELECT id, hash, signature, batch_id = ? FROM datanet_row "
                    + "WHERE datanet_id = ? AND status != 'rejected' ORDER BY batch_id = ?, id")) {
                st.setLong(1, batchId);
                st.setLong(2, datanetId);
                st.setLong(3, batchId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next() && i < n) {
                        ids[i] = rs.getLong(1);
                        prefixes[i] = UploadCheck.prefix(rs.getBytes(2));
                        System.arraycopy(banding.hashes(Signatures.fromBytes(rs.getBytes(3))), 0, bands,
                                i * banding.bands(), banding.bands());
                        if (rs.getInt(4) == 0) {
                            firstNew = i + 1;
                        }
                        i++;
                    }
                }
            }
            Map<Long, long[]> shingleCache = new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
                    return size() > SHINGLE_CACHE;
                }
            };
            List<DuplicateGroup> groups;
            try (PreparedStatement text = c.prepareStatement("SELECT text, signature FROM datanet_row WHERE id = ?")) {
                groups = new RedundancyCheck(threshold).groups(ids, prefixes, bands, banding.bands(), firstNew,
                        (a, b) -> {
                            try {
                                Object[] x = textAndSignature(text, ids[a]);
                                Object[] y = textAndSignature(text, ids[b]);
                                long[] sx = shingleCache.computeIfAbsent(ids[a], k -> shingles.of((String) x[0]));
                                long[] sy = shingleCache.computeIfAbsent(ids[b], k -> shingles.of((String) y[0]));
                                return new double[] {Shingles.jaccard(sx, sy),
                                        MinHasher.estimate((int[]) x[1], (int[]) y[1])};
                            } catch (java.sql.SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        });
            }
            if (node != null) {
                groups = new ArrayList<>(groups);
                groups.addAll(nodeGroups(c, batchId, threshold, node));
            }
            List<ReportRow> rows = new ArrayList<>();
            List<Long> rowIds = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT id, source, hash, blocking FROM datanet_row "
                    + "WHERE batch_id = ? AND status != 'rejected' ORDER BY id")) {
                st.setLong(1, batchId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new ReportRow(rs.getLong(1), rs.getString(2), RowHash.hex(rs.getBytes(3)),
                                rs.getInt(4) == 1));
                        rowIds.add(rs.getLong(1));
                    }
                }
            }
            List<ReportFinding> findings = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT f.row_id, f.kind, f.span_start, f.span_end, f.detail "
                    + "FROM finding f JOIN datanet_row r ON r.id = f.row_id WHERE r.batch_id = ? "
                    + "AND r.status != 'rejected' ORDER BY f.row_id, f.span_start")) {
                st.setLong(1, batchId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        findings.add(ReportFinding.of(rs.getLong(1), new Finding(
                                FindingKind.fromJsonName(rs.getString(2)), rs.getInt(3), rs.getInt(4), rs.getString(5))));
                    }
                }
            }
            List<LineProblem> skipped = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT file, problems FROM batch_file WHERE batch_id = ? "
                    + "ORDER BY file")) {
                st.setLong(1, batchId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        skipped.addAll(BatchProblems.parse(rs.getString(1), rs.getString(2)));
                    }
                }
            }
            return CheckReport.of(rows, groups, findings, skipped, threshold);
        });
    }

    /** Asks the node about every row of the batch, a thousand signatures at a time; one group per matched row. */
    private static List<DuplicateGroup> nodeGroups(java.sql.Connection c, long batchId, double threshold,
                                                   NodeDuplicateIndex node) throws java.sql.SQLException {
        List<NodeDuplicateIndex.NodeMatch> matches = new ArrayList<>();
        List<NodeDuplicateIndex.SignatureQuery> queries = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT id, hash, signature FROM datanet_row WHERE batch_id = ? "
                + "AND status != 'rejected' ORDER BY id")) {
            st.setLong(1, batchId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    queries.add(new NodeDuplicateIndex.SignatureQuery(rs.getLong(1), RowHash.hex(rs.getBytes(2)),
                            Signatures.fromBytes(rs.getBytes(3))));
                    if (queries.size() == 1000) {
                        matches.addAll(node.nearDuplicates(queries, threshold));
                        queries.clear();
                    }
                }
            }
        }
        if (!queries.isEmpty()) {
            matches.addAll(node.nearDuplicates(queries, threshold));
        }
        Map<Long, List<NodeDuplicateIndex.NodeMatch>> byRow = new java.util.TreeMap<>();
        for (NodeDuplicateIndex.NodeMatch m : matches) {
            byRow.computeIfAbsent(m.row(), k -> new ArrayList<>()).add(m);
        }
        List<DuplicateGroup> out = new ArrayList<>();
        for (Map.Entry<Long, List<NodeDuplicateIndex.NodeMatch>> e : byRow.entrySet()) {
            boolean exact = e.getValue().stream().anyMatch(NodeDuplicateIndex.NodeMatch::exact);
            double weakest = e.getValue().stream().mapToDouble(NodeDuplicateIndex.NodeMatch::estimatedSimilarity).min()
                    .orElse(1);
            out.add(new DuplicateGroup(exact ? DuplicateGroup.Kind.EXACT : DuplicateGroup.Kind.NEAR, List.of(e.getKey()),
                    List.of(), e.getValue().stream().map(NodeDuplicateIndex.NodeMatch::nodeRowHash).toList(),
                    Math.round(weakest * 10_000) / 10_000.0, Math.round(weakest * 10_000) / 10_000.0));
        }
        return out;
    }

    private static Object[] textAndSignature(PreparedStatement st, long id) throws java.sql.SQLException {
        st.setLong(1, id);
        try (ResultSet rs = st.executeQuery()) {
            rs.next();
            return new Object[] {rs.getString(1), Signatures.fromBytes(rs.getBytes(2))};
        }
    }
}
