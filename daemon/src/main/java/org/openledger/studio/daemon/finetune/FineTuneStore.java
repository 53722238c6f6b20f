package org.openledger.studio.daemon.finetune;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.finetune.FineTuneCheckpoint;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.api.finetune.TrainedRow;
import org.openledger.studio.store.Database;
import org.openledger.studio.store.Migration;
import org.openledger.studio.store.StorageException;

/**
 * Fine-tuning jobs on disk ({@code fine_tuning.db}): each job's latest state as its wire JSON and the documents it
 * trains on (as JSON lines, the form a resumed job is rebuilt from), oldest first; the Datanet rows each job used
 * with their split; and the checkpoints each job saved.
 */
final class FineTuneStore implements AutoCloseable {

    static final List<Migration> MIGRATIONS = List.of(Migration.sql(1, "fine-tuning jobs",
            "CREATE TABLE fine_tuning_job (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, status TEXT NOT NULL,"
                    + " job TEXT NOT NULL, training_text TEXT NOT NULL)"),
            Migration.sql(2, "rows trained on, checkpoints",
                    "CREATE TABLE fine_tuning_row (job_id TEXT NOT NULL REFERENCES fine_tuning_job(id),"
                            + " ord INTEGER NOT NULL, datanet_id TEXT NOT NULL, upload_id TEXT NOT NULL,"
                            + " seq INTEGER NOT NULL, hash TEXT NOT NULL, contributor TEXT NOT NULL,"
                            + " split TEXT NOT NULL, PRIMARY KEY (job_id, ord))",
                    "CREATE TABLE fine_tuning_checkpoint (job_id TEXT NOT NULL REFERENCES fine_tuning_job(id),"
                            + " step INTEGER NOT NULL, created_at INTEGER NOT NULL, train_loss REAL,"
                            + " valid_loss REAL, PRIMARY KEY (job_id, step))"));

    private final Database db;

    private FineTuneStore(Database db) {
        this.db = db;
    }

    static FineTuneStore open(Path dataDir) {
        return new FineTuneStore(Database.open(dataDir.resolve("fine_tuning.db"), MIGRATIONS));
    }

    /** The job, its documents and its Datanet rows, in one transaction. */
    void insert(FineTuneJob job, String documents, List<TrainedRow> rows) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO fine_tuning_job(id, created_at, status, job,"
                    + " training_text) VALUES (?, ?, ?, ?, ?)")) {
                st.setString(1, job.id());
                st.setLong(2, job.createdAt());
                st.setString(3, job.status());
                st.setString(4, json(job));
                st.setString(5, documents);
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO fine_tuning_row(job_id, ord, datanet_id,"
                    + " upload_id, seq, hash, contributor, split) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < rows.size(); i++) {
                    TrainedRow r = rows.get(i);
                    st.setString(1, job.id());
                    st.setInt(2, i);
                    st.setString(3, r.datanetId());
                    st.setString(4, r.uploadId());
                    st.setInt(5, r.seq());
                    st.setString(6, r.hash());
                    st.setString(7, r.contributor());
                    st.setString(8, r.split());
                    st.addBatch();
                }
                st.executeBatch();
            }
            return null;
        });
    }

    void update(FineTuneJob job) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE fine_tuning_job SET status = ?, job = ? WHERE id = ?")) {
                st.setString(1, job.status());
                st.setString(2, json(job));
                st.setString(3, job.id());
                st.executeUpdate();
            }
            return null;
        });
    }

    void checkpointSaved(String jobId, int step, long createdAt, Double trainLoss, Double validLoss) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT OR REPLACE INTO fine_tuning_checkpoint(job_id,"
                    + " step, created_at, train_loss, valid_loss) VALUES (?, ?, ?, ?, ?)")) {
                st.setString(1, jobId);
                st.setInt(2, step);
                st.setLong(3, createdAt);
                st.setObject(4, finite(trainLoss));
                st.setObject(5, finite(validLoss));
                st.executeUpdate();
            }
            return null;
        });
    }

    /** Checkpoints newest first; only {@code resumableStep}'s files are still on disk. */
    List<FineTuneCheckpoint> checkpoints(String jobId, int resumableStep) {
        return db.read(c -> {
            List<FineTuneCheckpoint> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT step, created_at, train_loss, valid_loss FROM"
                    + " fine_tuning_checkpoint WHERE job_id = ? ORDER BY step DESC")) {
                st.setString(1, jobId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        int step = rs.getInt(1);
                        out.add(new FineTuneCheckpoint("ftckpt-" + jobId.substring(6) + "-" + step,
                                "fine_tuning.job.checkpoint", rs.getLong(2), jobId, step,
                                new FineTuneCheckpoint.Metrics(real(rs, 3), real(rs, 4)), step == resumableStep));
                    }
                }
            }
            return out;
        });
    }

    List<TrainedRow> rows(String jobId) {
        return db.read(c -> {
            List<TrainedRow> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT datanet_id, upload_id, seq, hash, contributor,"
                    + " split FROM fine_tuning_row WHERE job_id = ? ORDER BY ord")) {
                st.setString(1, jobId);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new TrainedRow(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                                rs.getString(5), rs.getString(6)));
                    }
                }
            }
            return out;
        });
    }

    List<FineTuneJob> all() {
        List<String> rows = db.read(c -> {
            List<String> out = new ArrayList<>();
            try (var st = c.prepareStatement("SELECT job FROM fine_tuning_job ORDER BY created_at, rowid");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        List<FineTuneJob> jobs = new ArrayList<>();
        for (String row : rows) {
            try {
                jobs.add(Wire.mapper().readValue(row, FineTuneJob.class));
            } catch (JsonProcessingException e) {
                throw new StorageException("a stored fine-tuning job cannot be read: " + e.getOriginalMessage(), e);
            }
        }
        return jobs;
    }

    String trainingText(String id) {
        return db.read(c -> {
            try (var st = c.prepareStatement("SELECT training_text FROM fine_tuning_job WHERE id = ?")) {
                st.setString(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    private static Double finite(Double d) {
        return d == null || !Double.isFinite(d) ? null : d;
    }

    private static Double real(ResultSet rs, int column) throws java.sql.SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static String json(FineTuneJob job) {
        try {
            return Wire.mapper().writeValueAsString(job);
        } catch (JsonProcessingException e) {
            throw new StorageException("cannot encode job " + job.id(), e);
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
