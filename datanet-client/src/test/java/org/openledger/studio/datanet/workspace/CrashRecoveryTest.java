package org.openledger.studio.datanet.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.datanet.bench.SyntheticRows;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.ProgressListener;

/**
 * A child JVM adding a file is killed (SIGKILL) half-way; adding the same file again afterwards stores every row
 * exactly once, in one batch.
 */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void anImportKilledHalfWayResumesWithoutLosingOrDuplicatingRows() throws Exception {
        int total = 8_000;
        Path data = dir.resolve("rows.jsonl");
        SyntheticRows.write(data, total, 5);
        Path db = dir.resolve("ws.db");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                ImportProbe.class.getName(), db.toString(), data.toString()).redirectErrorStream(true).start();
        int progressLines = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("progress")) {
                    progressLines++;
                    if (progressLines == 2) {
                        break; // 2 MB (~4000 rows) read: at least one transaction of 2000 rows is committed
                    }
                }
                assertTrue(!line.equals("finished"), "the child finished before it could be killed");
            }
        } finally {
            child.destroyForcibly().waitFor();
        }
        long before = count(db, "SELECT COUNT(*) FROM datanet_row");
        assertTrue(before >= 2000 && before < total, "killed half-way: " + before + " rows committed");

        try (Workspace ws = Workspace.open(db)) {
            long id = ws.datanets().byName("crash").orElseThrow().id();
            ImportResult resumed = ws.add(id, List.of(data), "0xabc", new Ingest(), ProgressListener.NONE);
            assertEquals(total - before, resumed.newRows());
            assertEquals(total, ws.rows().count(id, null));
            assertEquals(total, resumed.files().get(0).rows());
        }
        assertEquals(total, count(db, "SELECT COUNT(DISTINCT source) FROM datanet_row"));
        assertEquals(1, count(db, "SELECT COUNT(*) FROM batch"), "the interrupted batch was resumed, not duplicated");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            // FTS5 compares its index with the rows and fails if a crash left them out of step
            c.createStatement().executeUpdate("INSERT INTO datanet_row_fts(datanet_row_fts) VALUES ('integrity-check')");
        }
        assertEquals(Files.readAllLines(data).size(), total);
    }

    private static long count(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); ResultSet rs = c.createStatement().executeQuery(sql)) {
            return rs.getLong(1);
        }
    }
}
