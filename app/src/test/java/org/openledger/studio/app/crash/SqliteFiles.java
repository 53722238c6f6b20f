package org.openledger.studio.app.crash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The SQLite files under a folder and their {@code PRAGMA integrity_check}, read while nothing else has them open. */
final class SqliteFiles {

    private SqliteFiles() {
    }

    static List<Path> under(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> p.getFileName().toString().endsWith(".db") && Files.isRegularFile(p)).sorted()
                    .toList();
        }
    }

    /** Every file under {@code folder} that does not answer "ok", with what it answered. */
    static List<String> damaged(Path folder) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path db : under(folder)) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                 Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
                String answer = rs.next() ? rs.getString(1) : "no answer";
                if (!"ok".equals(answer)) {
                    out.add(db + ": " + answer);
                }
            } catch (SQLException e) {
                out.add(db + ": " + e.getMessage());
            }
        }
        return out;
    }

    /** One number from {@code sql} on {@code db}. */
    static long number(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }
}
