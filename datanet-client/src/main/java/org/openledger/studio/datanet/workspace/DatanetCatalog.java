package org.openledger.studio.datanet.workspace;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openledger.studio.store.Database;

/** Datanets: their metadata, tags and versions. */
public final class DatanetCatalog {

    private final Database db;
    private final Clock clock;

    DatanetCatalog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * @throws WorkspaceException when the name is blank or already used
     */
    public Datanet create(NewDatanet d) {
        String name = d.name().strip();
        if (name.isEmpty()) {
            throw new WorkspaceException("A Datanet needs a name");
        }
        long id = db.transaction(c -> {
            if (findId(c, name).isPresent()) {
                throw new WorkspaceException("A Datanet named \"" + name + "\" already exists");
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO datanet (name, summary, description, licence, "
                    + "owner, kind, created_at) VALUES (?, ?, ?, ?, ?, 'text', ?) RETURNING id")) {
                st.setString(1, name);
                st.setString(2, d.summary());
                st.setString(3, d.description());
                st.setString(4, d.licence());
                st.setString(5, d.owner());
                st.setLong(6, clock.millis());
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    long newId = rs.getLong(1);
                    writeTags(c, newId, d.tags());
                    return newId;
                }
            }
        });
        return get(id);
    }

    /** Changes name, summary, description, tags and licence; the owner stays. */
    public Datanet update(long id, NewDatanet d) {
        db.transaction(c -> {
            Optional<Long> other = findId(c, d.name().strip());
            if (other.isPresent() && other.get() != id) {
                throw new WorkspaceException("A Datanet named \"" + d.name().strip() + "\" already exists");
            }
            try (PreparedStatement st = c.prepareStatement(
                    "UPDATE datanet SET name = ?, summary = ?, description = ?, licence = ? WHERE id = ?")) {
                st.setString(1, d.name().strip());
                st.setString(2, d.summary());
                st.setString(3, d.description());
                st.setString(4, d.licence());
                st.setLong(5, id);
                if (st.executeUpdate() == 0) {
                    throw new WorkspaceException("No Datanet with id " + id);
                }
            }
            try (PreparedStatement st = c.prepareStatement("DELETE FROM datanet_tag WHERE datanet_id = ?")) {
                st.setLong(1, id);
                st.executeUpdate();
            }
            writeTags(c, id, d.tags());
            return null;
        });
        return get(id);
    }

    /** Records a new version (numbered one past the newest) and returns it. */
    public DatanetVersion addVersion(long datanetId, String note) {
        return db.transaction(c -> {
            get(c, datanetId);
            long now = clock.millis();
            try (PreparedStatement st = c.prepareStatement("INSERT INTO datanet_version (datanet_id, number, note, "
                    + "created_at) SELECT ?, COALESCE(MAX(number), 0) + 1, ?, ? FROM datanet_version WHERE datanet_id = ? "
                    + "RETURNING number")) {
                st.setLong(1, datanetId);
                st.setString(2, note == null ? "" : note);
                st.setLong(3, now);
                st.setLong(4, datanetId);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return new DatanetVersion(rs.getInt(1), note == null ? "" : note, Instant.ofEpochMilli(now));
                }
            }
        });
    }

    public List<Datanet> list() {
        return db.read(c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT id FROM datanet ORDER BY name COLLATE NOCASE");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            List<Datanet> out = new ArrayList<>();
            for (long id : ids) {
                out.add(get(c, id));
            }
            return out;
        });
    }

    /** @throws WorkspaceException when there is no such Datanet */
    public Datanet get(long id) {
        return db.read(c -> get(c, id));
    }

    public Optional<Datanet> byName(String name) {
        return db.read(c -> {
            Optional<Long> id = findId(c, name.strip());
            return id.isPresent() ? Optional.of(get(c, id.get())) : Optional.empty();
        });
    }

    private static Optional<Long> findId(Connection c, String name) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT id FROM datanet WHERE name = ?")) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    static Datanet get(Connection c, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT name, summary, description, licence, owner, kind, "
                + "created_at FROM datanet WHERE id = ?")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new WorkspaceException("No Datanet with id " + id);
                }
                return new Datanet(id, rs.getString(1), rs.getString(2), rs.getString(3), tags(c, id), rs.getString(4),
                        rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)), versions(c, id));
            }
        }
    }

    private static List<String> tags(Connection c, long id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT tag FROM datanet_tag WHERE datanet_id = ? ORDER BY tag")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static List<DatanetVersion> versions(Connection c, long id) throws SQLException {
        List<DatanetVersion> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(
                "SELECT number, note, created_at FROM datanet_version WHERE datanet_id = ? ORDER BY number")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new DatanetVersion(rs.getInt(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
                }
            }
        }
        return out;
    }

    private static void writeTags(Connection c, long id, List<String> tags) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("INSERT OR IGNORE INTO datanet_tag (datanet_id, tag) VALUES (?, ?)")) {
            for (String t : tags) {
                if (!t.isBlank()) {
                    st.setLong(1, id);
                    st.setString(2, t.strip());
                    st.executeUpdate();
                }
            }
        }
    }
}
