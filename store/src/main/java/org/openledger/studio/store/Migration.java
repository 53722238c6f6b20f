package org.openledger.studio.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One step of a database schema. Versions start at 1 and are consecutive; a migration runs exactly once, in its own
 * transaction, and the database records the version reached ({@code PRAGMA user_version}).
 */
public interface Migration {

    int version();

    String description();

    void apply(Connection connection) throws SQLException;

    /** A migration made of plain SQL statements. */
    static Migration sql(int version, String description, String... statements) {
        return new Migration() {
            @Override
            public int version() {
                return version;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public void apply(Connection connection) throws SQLException {
                try (var st = connection.createStatement()) {
                    for (String s : statements) {
                        st.execute(s);
                    }
                }
            }
        };
    }
}
