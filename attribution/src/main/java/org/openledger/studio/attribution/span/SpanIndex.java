package org.openledger.studio.attribution.span;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The span index of one corpus: a folder of immutable {@link SpanShard}s and a small manifest naming the ones
 * in use. Adding rows writes a new shard (one per upload batch or job, as the caller likes); {@link #merge()}
 * folds all shards into one so queries touch one suffix array instead of many.
 *
 * <p>Readers take the current list of shards once per call and use it to the end, so a merge running beside
 * them is invisible until the manifest is swapped; shard files a merge replaced are deleted after the swap
 * (their mappings stay valid for readers still holding them). One process writes a folder at a time: on
 * opening, files the manifest does not name (left by a crash) are deleted.
 */
public final class SpanIndex {

    private static final Logger LOG = LoggerFactory.getLogger(SpanIndex.class);
    private static final String MANIFEST = "manifest";
    private static final String MANIFEST_HEADER = "openledger-span-index 1";
    private static final String SHARD_PREFIX = "shard-";
    private static final String SHARD_SUFFIX = ".span";

    private final Path dir;
    private final int vocab;
    private final AtomicLong nextShard;
    private final Object manifestLock = new Object();
    private final ReentrantLock mergeLock = new ReentrantLock();
    private volatile List<SpanShard> shards;

    private SpanIndex(Path dir, int vocab, List<SpanShard> shards, long nextShard) {
        this.dir = dir;
        this.vocab = vocab;
        this.shards = List.copyOf(shards);
        this.nextShard = new AtomicLong(nextShard);
    }

    /**
     * Opens the index in {@code dir}, creating the folder and an empty index when there is none, and checks
     * every shard it names (their checksums are read in full).
     *
     * @param vocab token ids are {@code 0..vocab-1}; an index made with another vocabulary is refused
     */
    public static SpanIndex open(Path dir, int vocab) {
        if (vocab < 1) {
            throw new IllegalArgumentException("vocab must be at least 1, was " + vocab);
        }
        try {
            Files.createDirectories(dir);
            Path manifest = dir.resolve(MANIFEST);
            List<String> names = Files.exists(manifest) ? readManifest(manifest, vocab) : List.of();
            List<SpanShard> shards = new ArrayList<>();
            for (String name : names) {
                SpanShard shard = SpanShard.open(dir.resolve(name));
                if (shard.vocab() != vocab) {
                    throw new SpanIndexException("shard " + name + " has vocab " + shard.vocab() + ", index " + vocab);
                }
                shards.add(shard);
            }
            long next = deleteStrayFiles(dir, new HashSet<>(names)) + 1;
            SpanIndex index = new SpanIndex(dir, vocab, shards, next);
            if (!Files.exists(manifest)) {
                index.writeManifest(shards);
            }
            return index;
        } catch (IOException e) {
            throw new SpanIndexException("cannot open span index " + dir + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return dir;
    }

    public int vocab() {
        return vocab;
    }

    /** The shards in use now; a caller that runs several searches on this list sees one consistent index. */
    public List<SpanShard> shards() {
        return shards;
    }

    /** Corpus tokens over all shards (row separators not counted). */
    public long tokenCount() {
        long total = 0;
        for (SpanShard shard : shards) {
            total += shard.tokenCount();
        }
        return total;
    }

    /**
     * Writes {@code rows} as a new shard and adds it to the manifest.
     *
     * @throws IllegalArgumentException for a token outside {@code [0, vocab)}
     */
    public ShardInfo addShard(List<SpanRow> rows) {
        String name = String.format("%s%06d%s", SHARD_PREFIX, nextShard.getAndIncrement(), SHARD_SUFFIX);
        ShardInfo info = SpanShard.write(dir.resolve(name), rows, vocab);
        SpanShard shard = SpanShard.open(dir.resolve(name));
        synchronized (manifestLock) {
            List<SpanShard> next = new ArrayList<>(shards);
            next.add(shard);
            publish(next, List.of(shard));
        }
        return info;
    }

    /**
     * Merges every shard into one new shard, swaps the manifest, then deletes the old files. Shards added
     * while the merge runs are kept beside the merged one. Safe to run on a background thread while others
     * query; two merges run one after the other.
     *
     * @return the merged shard, or empty when there were fewer than two shards
     */
    public Optional<ShardInfo> merge() {
        mergeLock.lock();
        try {
            List<SpanShard> merging = shards;
            if (merging.size() < 2) {
                return Optional.empty();
            }
            List<SpanRow> rows = new ArrayList<>();
            for (SpanShard shard : merging) {
                for (int r = 0; r < shard.rowCount(); r++) {
                    rows.add(new SpanRow(shard.rowId(r), shard.rowTokens(r)));
                }
            }
            String name = String.format("%s%06d%s", SHARD_PREFIX, nextShard.getAndIncrement(), SHARD_SUFFIX);
            ShardInfo info = SpanShard.write(dir.resolve(name), rows, vocab);
            rows = null;
            SpanShard merged = SpanShard.open(dir.resolve(name));
            synchronized (manifestLock) {
                List<SpanShard> next = new ArrayList<>();
                next.add(merged);
                for (SpanShard shard : shards) {
                    if (!merging.contains(shard)) {
                        next.add(shard);
                    }
                }
                publish(next, List.of(merged));
            }
            for (SpanShard old : merging) {
                try {
                    old.deleteFile();
                } catch (IOException e) {
                    LOG.warn("could not delete merged shard {} (deleted when the index is next opened): {}",
                            old.file(), e.getMessage());
                }
            }
            return Optional.of(info);
        } finally {
            mergeLock.unlock();
        }
    }

    /** Occurrences of {@code ngram} over all shards. */
    public long count(int[] ngram) {
        long total = 0;
        for (SpanShard shard : shards) {
            total += shard.count(ngram);
        }
        return total;
    }

    /** Up to {@code max} distinct ids of rows containing {@code ngram}, over all shards. */
    public List<Long> rows(int[] ngram, int max) {
        Set<Long> ids = new LinkedHashSet<>();
        for (SpanShard shard : shards) {
            if (ids.size() >= max) {
                break;
            }
            shard.addRowIds(shard.find(ngram), max, ids);
        }
        return new ArrayList<>(ids);
    }

    /** Writes the manifest for {@code next} and makes it current; on failure the new shard files are removed. */
    private void publish(List<SpanShard> next, List<SpanShard> added) {
        try {
            writeManifest(next);
        } catch (IOException | RuntimeException e) {
            for (SpanShard shard : added) {
                try {
                    shard.deleteFile();
                } catch (IOException ignored) {
                    // deleted as a stray file when the index is next opened
                }
            }
            throw e instanceof SpanIndexException s ? s
                    : new SpanIndexException("cannot write the manifest of " + dir + ": " + e.getMessage(), e);
        }
        shards = List.copyOf(next);
    }

    private void writeManifest(List<SpanShard> list) throws IOException {
        StringBuilder text = new StringBuilder(MANIFEST_HEADER).append('\n');
        text.append("vocab ").append(vocab).append('\n');
        for (SpanShard shard : list) {
            text.append("shard ").append(shard.file().getFileName()).append('\n');
        }
        text.append("end\n");
        Path temp = dir.resolve(MANIFEST + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        try {
            Files.move(temp, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, dir.resolve(MANIFEST), StandardCopyOption.REPLACE_EXISTING);
        }
        SpanShardWriter.forceDirectory(dir);
    }

    private static List<String> readManifest(Path manifest, int vocab) throws IOException {
        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        if (lines.size() < 3 || !lines.get(0).equals(MANIFEST_HEADER) || !lines.get(lines.size() - 1).equals("end")) {
            throw new SpanIndexException("span index manifest " + manifest + " is damaged or of another version");
        }
        if (!lines.get(1).equals("vocab " + vocab)) {
            throw new SpanIndexException("span index " + manifest.getParent() + " was built with " + lines.get(1)
                    + ", not vocab " + vocab);
        }
        List<String> names = new ArrayList<>();
        for (String line : lines.subList(2, lines.size() - 1)) {
            String name = line.startsWith("shard ") ? line.substring(6) : "";
            if (!name.startsWith(SHARD_PREFIX) || !name.endsWith(SHARD_SUFFIX) || name.contains("/")
                    || name.contains("\\")) {
                throw new SpanIndexException("span index manifest " + manifest + " has a bad line: " + line);
            }
            names.add(name);
        }
        return names;
    }

    /** Deletes shard and temporary files not in {@code inUse}; returns the highest shard number seen. */
    private static long deleteStrayFiles(Path dir, Set<String> inUse) throws IOException {
        long highest = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!name.startsWith(SHARD_PREFIX)) {
                    continue;
                }
                highest = Math.max(highest, shardNumber(name));
                if (!inUse.contains(name)) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (NoSuchFileException ignored) {
                        // gone already
                    }
                }
            }
        }
        return highest;
    }

    private static long shardNumber(String name) {
        int end = name.indexOf('.');
        try {
            return Long.parseLong(name.substring(SHARD_PREFIX.length(), end < 0 ? name.length() : end));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            return 0;
        }
    }
}
