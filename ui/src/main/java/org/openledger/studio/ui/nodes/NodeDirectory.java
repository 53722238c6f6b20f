package org.openledger.studio.ui.nodes;

import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.tls.CertificatePin;
import org.openledger.studio.api.tls.NodeTrust;
import org.openledger.studio.store.Database;

/** The remote nodes the user added, kept in {@code studio.db} (a file only the user can read: it holds tokens). */
public final class NodeDirectory {

    private final Database db;
    private final Clock clock;

    public NodeDirectory(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public List<NodeEntry> remotes() {
        return db.read(c -> {
            List<NodeEntry> out = new ArrayList<>();
            try (var st = c.prepareStatement("SELECT id, name, url, token, tls_sha256 FROM remote_node ORDER BY added_at, id");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String pin = rs.getString(5);
                    out.add(new NodeEntry(rs.getString(1), rs.getString(2), URI.create(rs.getString(3)),
                            rs.getString(4), false, pin == null ? null : CertificatePin.of(pin)));
                }
            }
            return out;
        });
    }

    /**
     * Adds a remote node.
     *
     * @throws IllegalArgumentException with a message for the user when the name or URL is not usable
     */
    public NodeEntry add(String name, String url, String token) {
        return add(name, url, token, null);
    }

    /**
     * Adds a remote node whose TLS certificate {@code tlsPin} was accepted (null for none: http, or not pinned).
     *
     * @throws IllegalArgumentException with a message for the user when the name or URL is not usable, or a pin is
     *                                  given for an http URL
     */
    public NodeEntry add(String name, String url, String token, CertificatePin tlsPin) {
        String n = name == null ? "" : name.strip();
        URI u = NodeClient.parseBaseUrl(url);
        if (n.isEmpty()) {
            n = u.getHost();
        }
        String finalName = n;
        String t = token == null || token.isBlank() ? null : token.strip();
        for (NodeEntry e : remotes()) {
            if (e.url().equals(u)) {
                throw new IllegalArgumentException("A node at " + u + " is already in the list, as \"" + e.name() + "\"");
            }
        }
        if (tlsPin != null && !NodeTrust.isTls(u)) {
            throw new IllegalArgumentException("A TLS fingerprint needs an https:// URL, not " + u);
        }
        NodeEntry entry = new NodeEntry("node-" + UUID.randomUUID(), finalName, u, t, false, tlsPin);
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "INSERT INTO remote_node(id, name, url, token, added_at, tls_sha256) VALUES (?, ?, ?, ?, ?, ?)")) {
                st.setString(1, entry.id());
                st.setString(2, entry.name());
                st.setString(3, entry.url().toString());
                st.setString(4, entry.token());
                st.setString(5, clock.instant().toString());
                st.setString(6, tlsPin == null ? null : tlsPin.fingerprint());
                return st.executeUpdate();
            }
        });
        return entry;
    }

    public boolean remove(String id) {
        return db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM remote_node WHERE id = ?")) {
                st.setString(1, id);
                return st.executeUpdate() > 0;
            }
        });
    }
}
