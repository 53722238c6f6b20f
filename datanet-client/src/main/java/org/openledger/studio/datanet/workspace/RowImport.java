package org.openledger.studio.datanet.workspace;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openledger.studio.datanet.check.RowChecks;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.IngestException;
import org.openledger.studio.datanet.ingest.IngestSummary;
import org.openledger.studio.datanet.ingest.IngestedRow;
import org.openledger.studio.datanet.ingest.LineProblem;
import org.openledger.studio.datanet.ingest.ProgressListener;
import org.openledger.studio.store.Database;

/**
 * Adds files to a Datanet: ingest, check and store rows in transactions of {@value #ROWS_PER_TRANSACTION}. A file
 * counts as added only in the transaction that stores its last rows, and an interrupted batch is resumed by the next
 * add for the same Datanet and contributor: after a crash at any point, adding the same files again stores every
 * row exactly once.
 */
final class RowImport {

    static final int ROWS_PER_TRANSACTION = 2000;

    private final Database db;
    private final RowStore rows;
    private final RowChecks checks;
    private final Clock clock;

    RowImport(Database db, RowStore rows, RowChecks checks, Clock clock) {
        this.db = db;
        this.rows = rows;
        this.checks = checks;
        this.clock = clock;
    }

    ImportResult add(long datanetId, List<Path> files, String contributor, Ingest ingest, ProgressListener progress) {
        db.read(c -> DatanetCatalog.get(c, datanetId));
        long batchId = openBatch(datanetId, contributor);
        List<IngestSummary> summaries = new ArrayList<>();
        Map<String, String> failures = new LinkedHashMap<>();
        long[] inserted = {0};
        int fileIndex = 0;
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Path file : files) {
            fileIndex++;
            String name = file.getFileName().toString();
            if (!names.add(name)) {
                // sources are named by file name only (folders would leak local paths): two files of one name clash
                failures.put(file.toString(), "another file in this batch is also named " + name + "; rename one");
                continue;
            }
            IngestSummary done = finishedFile(batchId, name);
            if (done != null) {
                summaries.add(done);
                continue;
            }
            List<IngestedRow> pending = new ArrayList<>(ROWS_PER_TRANSACTION);
            int current = fileIndex;
            try {
                IngestSummary summary = ingest.read(file, contributor, row -> {
                    pending.add(row);
                    if (pending.size() >= ROWS_PER_TRANSACTION) {
                        List<RowStore.Prepared> checked = check(pending);
                        inserted[0] += db.transaction(c -> rows.insert(c, datanetId, batchId, checked));
                        pending.clear();
                    }
                }, (doneBytes, total) -> progress.progress(current - 1, files.size()));
                List<RowStore.Prepared> last = check(pending);
                inserted[0] += db.transaction(c -> {
                    int n = rows.insert(c, datanetId, batchId, last);
                    try (PreparedStatement st = c.prepareStatement(
                            "INSERT INTO batch_file (batch_id, file, rows, problems) VALUES (?, ?, ?, ?)")) {
                        st.setLong(1, batchId);
                        st.setString(2, name);
                        st.setLong(3, summary.rows());
                        st.setString(4, problemsJson(summary.problems()));
                        st.executeUpdate();
                    }
                    return n;
                });
                summaries.add(summary);
            } catch (IngestException e) {
                failures.put(name, e.getMessage());
            }
            progress.progress(current, files.size());
        }
        if (failures.isEmpty()) {
            db.transaction(c -> {
                try (PreparedStatement st = c.prepareStatement("UPDATE batch SET state = 'added' WHERE id = ?")) {
                    st.setLong(1, batchId);
                    st.executeUpdate();
                }
                return null;
            });
        }
        return new ImportResult(batchId, summaries, inserted[0], failures);
    }

    /**
     * Runs the row checks (hash, MinHash, secrets, quality: pure CPU work on immutable inputs) on all cores, keeping
     * the rows' order; storing stays on the calling thread.
     */
    private List<RowStore.Prepared> check(List<IngestedRow> batch) {
        return batch.parallelStream().map(r -> new RowStore.Prepared(r, checks.check(r.text()))).toList();
    }

    /** The unfinished batch of this Datanet and contributor, or a new one. */
    private long openBatch(long datanetId, String contributor) {
        return db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT id FROM batch WHERE datanet_id = ? AND contributor = ? "
                    + "AND state = 'adding' ORDER BY id DESC LIMIT 1")) {
                st.setLong(1, datanetId);
                st.setString(2, contributor);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        return rs.getLong(1);
                    }
                }
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO batch (datanet_id, contributor, state, created_at) "
                    + "VALUES (?, ?, 'adding', ?) RETURNING id")) {
                st.setLong(1, datanetId);
                st.setString(2, contributor);
                st.setLong(3, clock.millis());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private IngestSummary finishedFile(long batchId, String name) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT rows, problems FROM batch_file WHERE batch_id = ? AND file = ?")) {
                st.setLong(1, batchId);
                st.setString(2, name);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? new IngestSummary(name, rs.getLong(1), problems(name, rs.getString(2))) : null;
                }
            }
        });
    }

    private static String problemsJson(List<LineProblem> problems) {
        return BatchProblems.json(problems);
    }

    private static List<LineProblem> problems(String file, String text) {
        return BatchProblems.parse(file, text);
    }
}
