package org.openledger.studio.daemon.adapters;

import java.io.IOException;
import java.time.Instant;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openledger.studio.api.finetune.AdapterFiles;
import org.openledger.studio.daemon.adapters.AdapterTransferException.Kind;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterConfig;
import org.openledger.studio.gpu.model.ModelConfig;

/**
 * An adapter folder's files for pull and push between nodes and the desktop ({@code /v1/adapters/{id}}): served
 * adapters listed with size and SHA-256 and sent file by file; a pushed adapter received file by file, each checked
 * against the SHA-256 its sender gave, into {@code <adapters>/.<id>.receiving/<id>/} (hidden, so the adapter store
 * never lists it), then loaded, checked against the served base model and renamed into {@code <adapters>/<id>}
 * in one atomic move, so {@code /v1/models} lists it at once and never half of it.
 */
public final class AdapterTransfers {

    /** The largest file a push may send (streamed to disk, never held in memory). */
    public static final long MAX_FILE_BYTES = 2L << 30;
    public static final String OBJECT = "adapter";
    public static final String SERVED = "served";
    public static final String RECEIVING = "receiving";

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    private record Hashed(long bytes, FileTime modified, String sha256) {
    }

    private final Path folder;
    private final String baseId;
    private final ModelConfig baseConfig;
    private final Consumer<String> onServed;
    private final long maxFileBytes;
    private final long deviceBudget;
    private final Map<Path, Hashed> hashes = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    /**
     * @param folder     the adapter folder the node serves from
     * @param onServed   told the id of an adapter once it is in place (to drop a stale copy from the device)
     */
    public AdapterTransfers(Path folder, String baseId, ModelConfig baseConfig, Consumer<String> onServed) {
        this(folder, baseId, baseConfig, onServed, MAX_FILE_BYTES);
    }

    public AdapterTransfers(Path folder, String baseId, ModelConfig baseConfig, Consumer<String> onServed,
                            long maxFileBytes) {
        this(folder, baseId, baseConfig, onServed, maxFileBytes, Long.MAX_VALUE);
    }

    /**
     * @param deviceBudget the device bytes the node gives adapters: a push of an adapter larger than that is refused
     *                     when its weights' declared length shows it and again, exactly, at commit
     */
    public AdapterTransfers(Path folder, String baseId, ModelConfig baseConfig, Consumer<String> onServed,
                            long maxFileBytes, long deviceBudget) {
        this.deviceBudget = deviceBudget;
        this.folder = folder;
        this.baseId = baseId;
        this.baseConfig = baseConfig;
        this.onServed = onServed;
        this.maxFileBytes = maxFileBytes;
    }

    /** A served adapter's files: every regular file of its folder with size and SHA-256. */
    public AdapterFiles served(String id) throws AdapterTransferException, IOException {
        return new AdapterFiles(id, OBJECT, baseId, SERVED, list(servedDir(id)));
    }

    /** One file of a served adapter, to be streamed to the client. */
    public Path servedFile(String id, String name) throws AdapterTransferException {
        Path dir = servedDir(id);
        checkName(name);
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new AdapterTransferException(Kind.NOT_FOUND, "name", "The adapter '" + id + "' has no file '"
                    + name + "' (GET /v1/adapters/" + id + " lists its files)");
        }
        return file;
    }

    /**
     * Receives one file of a pushed adapter. The body is streamed to a part file while its SHA-256 is computed; a
     * body whose hash differs from {@code sha256} is dropped, nothing kept.
     *
     * @param contentLength the request's Content-Length header, or null
     */
    public AdapterFiles receive(String id, String name, String sha256, String contentLength, InputStream body)
            throws AdapterTransferException, IOException {
        checkId(id);
        checkName(name);
        String expected = checkSha(sha256, "sha256");
        if (contentLength != null && declaredLength(contentLength) > maxFileBytes) {
            throw tooLarge(name);
        }
        // float32 on the device is at least the data's size (F16/BF16 widen); a header is well below 256 KiB
        if (contentLength != null && name.equals(Adapter.WEIGHTS_FILE)
                && declaredLength(contentLength) - (256 << 10) > deviceBudget) {
            throw overBudget(id, declaredLength(contentLength));
        }
        refuseServed(id);
        if (name.equals(Adapter.WEIGHTS_FILE)) { // the shapes come first: refused before any tensor byte is read
            WeightsHeader.Peek head = WeightsHeader.peek(body);
            if (head.deviceBytes() > deviceBudget) {
                throw overBudget(id, head.deviceBytes());
            }
            body = head.whole();
        }
        Path receiving = receiving(id);
        Files.createDirectories(receiving);
        Path part = Files.createTempFile(receiving, "." + name + ".", ".part");
        try {
            String actual = copyHashed(body, part, name);
            if (!actual.equalsIgnoreCase(expected)) {
                throw new AdapterTransferException(Kind.BAD_INPUT, "sha256", "The body of '" + name
                        + "' has SHA-256 " + actual + ", not " + expected.toLowerCase() + "; nothing was kept");
            }
            synchronized (lock(id)) {
                refuseServed(id);
                Path staging = receiving.resolve(id);
                Files.createDirectories(staging);
                Path file = staging.resolve(name);
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                hashes.put(file, new Hashed(Files.size(file), Files.getLastModifiedTime(file), actual));
                return new AdapterFiles(id, OBJECT, baseId, RECEIVING, list(staging));
            }
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /**
     * Makes a pushed adapter servable: every file {@code listed} names must have arrived with its size and SHA-256
     * (else 400; what arrived is kept, so the missing files can still be sent), the adapter must load and fit the
     * served base model (else 400 and everything received is removed); then its folder is renamed into place.
     */
    public AdapterFiles commit(String id, AdapterFiles listed) throws AdapterTransferException, IOException {
        checkId(id);
        if (listed == null || listed.files() == null || listed.files().isEmpty()) {
            throw new AdapterTransferException(Kind.BAD_INPUT, "files", "The commit must list the adapter's files "
                    + "with their bytes and sha256");
        }
        if (listed.id() != null && !listed.id().equals(id)) {
            throw new AdapterTransferException(Kind.BAD_INPUT, "id", "The body names adapter '" + listed.id()
                    + "' but the path names '" + id + "'");
        }
        synchronized (lock(id)) {
            refuseServed(id);
            Path staging = receiving(id).resolve(id);
            if (!Files.isDirectory(staging)) {
                throw new AdapterTransferException(Kind.BAD_INPUT, "files", "No file of adapter '" + id
                        + "' was received; PUT each file to /v1/adapters/" + id + "/files/{name} first");
            }
            Set<String> names = checkArrived(staging, listed.files());
            for (String required : List.of(AdapterConfig.FILE, Adapter.WEIGHTS_FILE)) {
                if (!names.contains(required)) {
                    throw new AdapterTransferException(Kind.BAD_INPUT, "files", "A PEFT adapter needs "
                            + required + ", which the commit does not list");
                }
            }
            dropUnlisted(staging, names);
            long deviceBytes;
            try {
                Adapter adapter = Adapter.load(staging);
                adapter.checkFits(baseId, baseConfig);
                deviceBytes = org.openledger.studio.gpu.lora.AdapterStore.deviceBytes(adapter);
            } catch (IOException | RuntimeException e) {
                // whatever the files hold (a layer index no int holds, a bad pattern), a refusal, never a 500 that
                // leaves the staging folder behind
                deleteTree(receiving(id));
                String why = String.valueOf(e.getMessage()).replace(staging.toString(), id);
                throw new AdapterTransferException(Kind.REFUSED, "files", "The adapter '" + id
                        + "' cannot be served on '" + baseId + "': " + why);
            }
            if (deviceBytes > deviceBudget) {
                deleteTree(receiving(id));
                throw overBudget(id, deviceBytes);
            }
            try {
                Files.createDirectories(folder);
                Files.move(staging, folder.resolve(id), StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                throw conflict(id);
            }
            deleteTree(receiving(id));
            onServed.accept(id);
        }
        return served(id);
    }

    private Set<String> checkArrived(Path staging, List<AdapterFiles.File> files)
            throws AdapterTransferException, IOException {
        Set<String> names = new HashSet<>();
        for (AdapterFiles.File f : files) {
            if (f == null) {
                throw new AdapterTransferException(Kind.BAD_INPUT, "files", "The file list has an empty entry");
            }
            checkName(f.name());
            String sha = checkSha(f.sha256(), "files");
            if (!names.add(f.name())) {
                throw new AdapterTransferException(Kind.BAD_INPUT, "files", "'" + f.name() + "' is listed twice");
            }
            Path file = staging.resolve(f.name());
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new AdapterTransferException(Kind.BAD_INPUT, "files", "'" + f.name()
                        + "' has not arrived; PUT it before committing");
            }
            Hashed h = hash(file);
            if (h.bytes() != f.bytes() || !h.sha256().equalsIgnoreCase(sha)) {
                throw new AdapterTransferException(Kind.BAD_INPUT, "files", "'" + f.name() + "' arrived as "
                        + h.bytes() + " bytes with SHA-256 " + h.sha256() + ", but the commit lists " + f.bytes()
                        + " bytes with " + sha.toLowerCase());
            }
        }
        return names;
    }

    private void dropUnlisted(Path staging, Set<String> names) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(staging)) {
            for (Path p : s) {
                if (!names.contains(p.getFileName().toString())) {
                    deleteTree(p);
                }
            }
        }
    }

    private Path servedDir(String id) throws AdapterTransferException {
        checkId(id);
        Path dir = folder.resolve(id);
        if (!Files.isRegularFile(dir.resolve(AdapterConfig.FILE))) {
            throw new AdapterTransferException(Kind.NOT_FOUND, "id", "There is no adapter '" + id
                    + "' on this node (GET /v1/models lists what it serves)");
        }
        return dir;
    }

    private void refuseServed(String id) throws AdapterTransferException {
        if (id.equalsIgnoreCase(baseId) || Files.exists(folder.resolve(id), LinkOption.NOFOLLOW_LINKS)) {
            throw conflict(id);
        }
    }

    /**
     * Removes pushes abandoned part-way: every receiving folder in which nothing changed since {@code cutoff} (a
     * push that never committed would otherwise keep its files, up to 2 GiB each, for ever).
     *
     * @return how many were removed
     */
    public int expireReceiving(Instant cutoff) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(folder, ".*.receiving")) {
            for (Path dir : s) {
                String name = dir.getFileName().toString();
                String id = name.substring(1, name.length() - ".receiving".length());
                synchronized (lock(id)) {
                    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && lastChange(dir).isBefore(cutoff)) {
                        deleteTree(dir);
                        removed++;
                    }
                }
            }
        }
        return removed;
    }

    private static Instant lastChange(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            Instant newest = Instant.EPOCH;
            for (Path p : (Iterable<Path>) s::iterator) {
                Instant t = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
                newest = t.isAfter(newest) ? t : newest;
            }
            return newest;
        }
    }

    private Path receiving(String id) {
        return folder.resolve("." + id + ".receiving");
    }

    private Object lock(String id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    private List<AdapterFiles.File> list(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (isValidName(p.getFileName().toString())
                        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(p);
                }
            }
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        List<AdapterFiles.File> out = new ArrayList<>();
        for (Path p : files) {
            Hashed h = hash(p);
            out.add(new AdapterFiles.File(p.getFileName().toString(), h.bytes(), h.sha256()));
        }
        return out;
    }

    /** Size and SHA-256 of a file, remembered while its size and modification time stay the same. */
    private Hashed hash(Path file) throws IOException {
        long bytes = Files.size(file);
        FileTime modified = Files.getLastModifiedTime(file);
        Hashed known = hashes.get(file);
        if (known != null && known.bytes() == bytes && known.modified().equals(modified)) {
            return known;
        }
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
        }
        Hashed h = new Hashed(bytes, modified, HexFormat.of().formatHex(md.digest()));
        hashes.put(file, h);
        return h;
    }

    private String copyHashed(InputStream body, Path part, String name) throws IOException, AdapterTransferException {
        MessageDigest md = sha256();
        long total = 0;
        try (OutputStream out = Files.newOutputStream(part)) {
            byte[] buf = new byte[1 << 16];
            for (int n = body.read(buf); n >= 0; n = body.read(buf)) {
                total += n;
                if (total > maxFileBytes) {
                    throw tooLarge(name);
                }
                md.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private AdapterTransferException tooLarge(String name) {
        return new AdapterTransferException(Kind.TOO_LARGE, "name", "'" + name + "' is larger than "
                + maxFileBytes + " bytes, the most this node accepts for one adapter file");
    }

    private AdapterTransferException overBudget(String id, long bytes) {
        return new AdapterTransferException(Kind.OVER_BUDGET, "files", "The adapter '" + id + "' takes " + bytes
                + " bytes on the device, more than the " + deviceBudget + " bytes this node gives adapters"
                + " (--adapter-device-bytes); nothing was kept");
    }

    private static AdapterTransferException conflict(String id) {
        return new AdapterTransferException(Kind.CONFLICT, "id", "An adapter or model '" + id
                + "' is served on this node already; push under another --id");
    }

    private static long declaredLength(String contentLength) throws AdapterTransferException {
        try {
            return Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            throw new AdapterTransferException(Kind.BAD_INPUT, null, "Content-Length is not a number");
        }
    }

    /** Adapter ids: a letter or digit, then letters, digits, '.', '_' or '-' (no path, no hidden name). */
    public static boolean isValidId(String id) {
        return org.openledger.studio.store.PlainName.isFileName(id) && id.length() <= org.openledger.studio.store
                .PlainName.MAX_ID;
    }

    /** File names inside an adapter folder, by the same rule. */
    public static boolean isValidName(String name) {
        return org.openledger.studio.store.PlainName.isFileName(name);
    }

    private static void checkId(String id) throws AdapterTransferException {
        if (!isValidId(id)) {
            throw new AdapterTransferException(Kind.BAD_INPUT, "id", "'" + id + "' is not an adapter id: use "
                    + "letters, digits, '.', '_' and '-', starting with a letter or digit (at most 128)");
        }
    }

    private static void checkName(String name) throws AdapterTransferException {
        if (!isValidName(name)) {
            throw new AdapterTransferException(Kind.BAD_INPUT, "name", "'" + name + "' is not a file name of an "
                    + "adapter folder: use letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
    }

    private static String checkSha(String sha, String param) throws AdapterTransferException {
        if (sha == null || !SHA256.matcher(sha).matches()) {
            throw new AdapterTransferException(Kind.BAD_INPUT, param, "sha256 must be the file's SHA-256 as 64 hex "
                    + "digits" + (param.equals("sha256") ? " (?sha256=...)" : ""));
        }
        return sha;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }

    private void deleteTree(Path root) throws IOException {
        hashes.keySet().removeIf(p -> p.startsWith(root));
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> s = Files.walk(root)) {
            paths = new ArrayList<>(s.toList());
        }
        paths.sort(Comparator.reverseOrder());
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
