package org.openledger.studio.daemon.adapters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.lora.AdapterStore;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.safetensors.SafetensorsFile;
import org.openledger.studio.gpu.safetensors.TensorEntry;
import org.openledger.studio.store.Database;
import org.openledger.studio.store.Migration;

/**
 * Every adapter of the adapter folder, in {@code <data>/adapters.db}: id, base model, rank, targets, bytes on disk
 * and on the device, SHA-256 of its weights and config, created, last used, requests, tokens, and why it is broken
 * when it is. Kept in step with the folder: a scan at start, the management API's registrations and deletions, and
 * a check of the files' stamps (sizes, modification times, folder identity) whenever an adapter is asked for, so
 * that files replaced by hand are hashed again and get a new version. Hashing happens only when a stamp changed.
 */
public final class AdapterRegistry implements AutoCloseable {

    static final List<Migration> MIGRATIONS = List.of(Migration.sql(1, "adapter registry",
            "CREATE TABLE adapter (id TEXT PRIMARY KEY, base_model TEXT, rank INTEGER, targets TEXT,"
                    + " bytes INTEGER NOT NULL, device_bytes INTEGER NOT NULL, sha256 TEXT NOT NULL,"
                    + " config_sha256 TEXT NOT NULL, stamp TEXT NOT NULL, created_at TEXT NOT NULL,"
                    + " last_used_at TEXT, broken_reason TEXT, requests INTEGER NOT NULL DEFAULT 0,"
                    + " tokens INTEGER NOT NULL DEFAULT 0)"));

    /** One registered adapter. */
    public record Entry(String id, String baseModel, Integer rank, List<String> targets, long bytes,
                        long deviceBytes, String sha256, String configSha256, String stamp, Instant created,
                        Instant lastUsed, String brokenReason, long requests, long tokens) {

        /** The cache key of its weights: a change of either file is a new version. */
        public String version() {
            return sha256 + "/" + configSha256;
        }

        Entry withUse(Instant at, long moreRequests, long moreTokens) {
            return new Entry(id, baseModel, rank, targets, bytes, deviceBytes, sha256, configSha256, stamp, created,
                    at, brokenReason, requests + moreRequests, tokens + moreTokens);
        }

        Entry withBroken(String reason) {
            return new Entry(id, baseModel, rank, targets, bytes, deviceBytes, sha256, configSha256, stamp, created,
                    lastUsed, reason, requests, tokens);
        }
    }

    private final Database db;
    private final Path folder;
    private final String baseId;
    /** The rows, mirrored so that a request's check costs no query. */
    private final Map<String, Entry> entries = new TreeMap<>();

    private AdapterRegistry(Database db, Path folder, String baseId) {
        this.db = db;
        this.folder = folder;
        this.baseId = baseId;
    }

    /** Opens {@code file} and scans {@code folder} into it. */
    public static AdapterRegistry open(Path file, Path folder, String baseId) {
        AdapterRegistry r = new AdapterRegistry(Database.open(file, MIGRATIONS), folder, baseId);
        r.load();
        try {
            r.scan();
        } catch (IOException e) {
            r.close();
            throw new IllegalStateException("cannot scan the adapter folder " + folder + ": " + e.getMessage(), e);
        }
        return r;
    }

    private void load() {
        db.read(c -> {
            try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id, base_model, rank, targets,"
                    + " bytes, device_bytes, sha256, config_sha256, stamp, created_at, last_used_at, broken_reason,"
                    + " requests, tokens FROM adapter")) {
                while (rs.next()) {
                    String targets = rs.getString(4);
                    int rank = rs.getInt(3);
                    entries.put(rs.getString(1), new Entry(rs.getString(1), rs.getString(2),
                            rs.wasNull() ? null : rank,
                            targets == null || targets.isEmpty() ? List.of() : List.of(targets.split(",")),
                            rs.getLong(5), rs.getLong(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            Instant.parse(rs.getString(10)), rs.getString(11) == null ? null
                            : Instant.parse(rs.getString(11)), rs.getString(12), rs.getLong(13), rs.getLong(14)));
                }
            }
            return null;
        });
    }

    /** Brings the registry in step with the folder: new folders registered, changed ones hashed, gone ones dropped. */
    public synchronized void scan() throws IOException {
        Set<String> present = new HashSet<>();
        if (Files.isDirectory(folder)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(folder)) {
                for (Path p : s) {
                    String id = p.getFileName().toString();
                    if (AdapterStore.isValidId(id) && Files.isRegularFile(p.resolve(AdapterConfig.FILE))) {
                        present.add(id);
                    }
                }
            }
        }
        for (String id : present) {
            refresh(id);
        }
        for (String id : new ArrayList<>(entries.keySet())) {
            if (!present.contains(id)) {
                delete(id);
            }
        }
    }

    /**
     * The adapter's entry as its files are now (hashed again when they changed), or null when it has no folder
     * (a row without one is dropped).
     */
    public synchronized Entry refresh(String id) throws IOException {
        if (!AdapterStore.isValidId(id)) {
            return null;
        }
        Path dir = folder.resolve(id);
        String stamp;
        try {
            stamp = stamp(dir);
        } catch (NoSuchFileException e) {
            stamp = null;
        }
        Entry known = entries.get(id);
        if (stamp == null) {
            if (known != null) {
                delete(id);
            }
            return null;
        }
        if (known != null && known.stamp().equals(stamp)) {
            return known;
        }
        Entry e = describe(id, dir, stamp, known);
        put(e);
        return e;
    }

    /** The entry as registered, without looking at the files. */
    public synchronized Entry get(String id) {
        return entries.get(id);
    }

    public synchronized List<Entry> list() {
        return List.copyOf(entries.values());
    }

    /** Records why an adapter cannot be served; cleared when its files change. */
    public synchronized void markBroken(String id, String version, String reason) {
        Entry e = entries.get(id);
        if (e != null && e.version().equals(version) && !reason.equals(e.brokenReason())) {
            Entry b = e.withBroken(reason);
            entries.put(id, b);
            db.transaction(c -> {
                try (PreparedStatement st = c.prepareStatement("UPDATE adapter SET broken_reason = ? WHERE id = ?")) {
                    st.setString(1, reason);
                    st.setString(2, id);
                    st.executeUpdate();
                }
                return null;
            });
        }
    }

    /** Counts a request served and the tokens it generated. */
    public synchronized void used(String id, Instant at, long requests, long tokens) {
        Entry e = entries.get(id);
        if (e == null) {
            return;
        }
        entries.put(id, e.withUse(at, requests, tokens));
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE adapter SET last_used_at = ?,"
                    + " requests = requests + ?, tokens = tokens + ? WHERE id = ?")) {
                st.setString(1, at.toString());
                st.setLong(2, requests);
                st.setLong(3, tokens);
                st.setString(4, id);
                st.executeUpdate();
            }
            return null;
        });
    }

    /** Forgets an adapter (its folder is gone or going). */
    public synchronized void delete(String id) {
        entries.remove(id);
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM adapter WHERE id = ?")) {
                st.setString(1, id);
                st.executeUpdate();
            }
            return null;
        });
    }

    private void put(Entry e) {
        entries.put(e.id(), e);
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT OR REPLACE INTO adapter (id, base_model, rank,"
                    + " targets, bytes, device_bytes, sha256, config_sha256, stamp, created_at, last_used_at,"
                    + " broken_reason, requests, tokens) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                st.setString(1, e.id());
                st.setString(2, e.baseModel());
                if (e.rank() == null) {
                    st.setNull(3, java.sql.Types.INTEGER);
                } else {
                    st.setInt(3, e.rank());
                }
                st.setString(4, String.join(",", e.targets()));
                st.setLong(5, e.bytes());
                st.setLong(6, e.deviceBytes());
                st.setString(7, e.sha256());
                st.setString(8, e.configSha256());
                st.setString(9, e.stamp());
                st.setString(10, e.created().toString());
                st.setString(11, e.lastUsed() == null ? null : e.lastUsed().toString());
                st.setString(12, e.brokenReason());
                st.setLong(13, e.requests());
                st.setLong(14, e.tokens());
                st.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Reads what can be known without loading the tensors: the config, the safetensors header (device bytes as
     * float32), hashes. An unreadable config or header, or a config naming another base model, is recorded as the
     * reason it is broken.
     */
    private Entry describe(String id, Path dir, String stamp, Entry known) throws IOException {
        Path config = dir.resolve(AdapterConfig.FILE);
        Path weights = dir.resolve(Adapter.WEIGHTS_FILE);
        String configSha = sha256(config);
        String sha = Files.isRegularFile(weights) ? sha256(weights) : "";
        long bytes = Files.size(config) + (Files.isRegularFile(weights) ? Files.size(weights) : 0);
        String baseModel = null;
        Integer rank = null;
        List<String> targets = List.of();
        long deviceBytes = 0;
        String broken = null;
        try {
            AdapterConfig c = AdapterConfig.read(dir);
            rank = c.r();
            baseModel = c.baseModelNameOrPath();
            targets = c.targetModules().stream().sorted().map(Projection::module).collect(Collectors.toList());
            if (!Files.isRegularFile(weights)) {
                throw new IOException("it has no " + Adapter.WEIGHTS_FILE);
            }
            try (SafetensorsFile f = SafetensorsFile.open(weights)) {
                for (String name : f.names()) {
                    TensorEntry t = f.entry(name);
                    deviceBytes += 4 * t.elementCount();
                }
            }
            String mismatch = baseMismatch(baseModel);
            if (mismatch != null) {
                broken = mismatch;
            }
        } catch (IOException e) {
            broken = String.valueOf(e.getMessage()).replace(dir.toString(), id);
        }
        boolean same = known != null && known.sha256().equals(sha) && known.configSha256().equals(configSha);
        return new Entry(id, baseModel, rank, targets, bytes, deviceBytes, sha, configSha, stamp,
                known != null ? known.created() : Instant.now(), known == null ? null : known.lastUsed(),
                same && broken == null ? known.brokenReason() : broken, known == null ? 0 : known.requests(),
                known == null ? 0 : known.tokens());
    }

    /** Why a config's base_model_name_or_path is not the served model, or null when it fits (or names none). */
    public String baseMismatch(String named) {
        if (named == null || named.isBlank() || baseId == null) {
            return null;
        }
        String last = Path.of(named.replace('\\', '/')).getFileName().toString();
        return last.equalsIgnoreCase(baseId) ? null : "it was trained on base model '" + named + "', not '" + baseId
                + "'";
    }

    /** Sizes and modification times of both files and the folder's identity: what changes when either is replaced. */
    static String stamp(Path dir) throws IOException {
        BasicFileAttributes d = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!d.isDirectory()) {
            throw new NoSuchFileException(dir.toString());
        }
        BasicFileAttributes c = Files.readAttributes(dir.resolve(AdapterConfig.FILE), BasicFileAttributes.class);
        Path w = dir.resolve(Adapter.WEIGHTS_FILE);
        String ws = "none";
        if (Files.exists(w)) {
            BasicFileAttributes a = Files.readAttributes(w, BasicFileAttributes.class);
            ws = a.size() + "@" + a.lastModifiedTime().toMillis() + "#" + a.fileKey();
        }
        return c.size() + "@" + c.lastModifiedTime().toMillis() + "#" + c.fileKey() + "/" + ws + "/" + d.fileKey();
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Override
    public void close() {
        db.close();
    }
}
