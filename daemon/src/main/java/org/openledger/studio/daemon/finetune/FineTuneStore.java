package org.openledger.studio.daemon.finetune;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.store.Database;
import org.openledger.studio.store.Migration;
import org.openledger.studio.store.StorageException;

/** Fine-tuning jobs on disk ({@code fine_tuning.db}): each job's latest state as its wire JSON and its training text, oldest first. */
final class FineTuneStore implements AutoCloseable {

    static final List<Migration> MIGRATIONS = List.of(Migration.sql(1, "fine-tuning jobs",
            "CREATE TABLE fine_tuning_job (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, status TEXT NOT NULL,"
                    + " job TEXT NOT NULL, training_text TEXT NOT NULL)"));

    private final Database db;

    private FineTuneStore(Database db) {
        this.db = db;
    }

    static FineTuneStore open(Path dataDir) {
        return new FineTuneStore(Database.open(dataDir.resolve("fine_tuning.db"), MIGRATIONS));
    }

    void insert(FineTuneJob job, String trainingText) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO fine_tuning_job(id, created_at, status, job,"
                    + " training_text) VALUES (?, ?, ?, ?, ?)")) {
                st.setString(1, job.id());
                st.setLong(2, job.createdAt());
                st.setString(3, job.status());
                st.setString(4, json(job));
                st.setString(5, trainingText);
                st.executeUpdate();
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
