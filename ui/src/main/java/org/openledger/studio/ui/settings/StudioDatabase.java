package org.openledger.studio.ui.settings;

import java.nio.file.Path;
import java.util.List;
import org.openledger.studio.store.Database;
import org.openledger.studio.store.Migration;

/** The studio's own SQLite file ({@code studio.db} in the data folder) and its schema history. */
public final class StudioDatabase {

    static final List<Migration> MIGRATIONS = List.of(
            Migration.sql(1, "remote nodes",
                    "CREATE TABLE remote_node (id TEXT PRIMARY KEY, name TEXT NOT NULL, url TEXT NOT NULL UNIQUE,"
                            + " token TEXT, added_at TEXT NOT NULL)"),
            // the SHA-256 of the https node's certificate the user accepted (AB:CD:...); null: not pinned
            Migration.sql(2, "remote node TLS pins", "ALTER TABLE remote_node ADD COLUMN tls_sha256 TEXT"));

    private StudioDatabase() {
    }

    public static Database open(Path dataDir) {
        return Database.open(dataDir.resolve("studio.db"), MIGRATIONS);
    }
}
