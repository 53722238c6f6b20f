package org.openledger.studio.wallet.chain;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openledger.studio.store.Folders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A devnet folder held by one running chain: an OS file lock on {@code anvil.lock} (gone with the process that held
 * it, however it died) and {@code anvil.pid} naming the anvil that chain started ({@code pid start-instant}), so the
 * next holder can stop an anvil whose owner was killed.
 */
final class FolderLock {

    private static final Logger log = LoggerFactory.getLogger(FolderLock.class);
    /** How far a process's start time may differ from the recorded one and still be the same process. */
    private static final Duration SAME_START = Duration.ofSeconds(2);

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(Path folder, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
    }

    /** @throws ChainException when another chain (in this process or another) holds the folder */
    static FolderLock take(Path folder) {
        FileChannel channel;
        try {
            channel = FileChannel.open(folder.resolve("anvil.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new ChainException("Cannot open the devnet lock in " + folder + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException | IOException e) {
            lock = null;
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new ChainException("The devnet in " + folder + " is in use by another running node (it holds "
                    + folder.resolve("anvil.lock") + "); stop that node, or give this one another data folder");
        }
        return new FolderLock(folder, channel, lock);
    }

    /**
     * Stops the anvil named by {@code anvil.pid} if it still runs: holding the lock, no live chain owns it, so its
     * owner died without stopping it. SIGTERM first (anvil writes its state), forcibly after 10 s.
     */
    void stopLeftBehind() {
        Optional<ProcessHandle> orphan = recorded();
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle p = orphan.get();
        log.warn("anvil (pid {}) of a node that did not stop it is still running on {}; stopping it", p.pid(), folder);
        p.destroy();
        try {
            p.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception notYet) {
            p.destroyForcibly();
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new ChainException("anvil (pid " + p.pid() + ") left running on " + folder
                        + " does not stop; kill it and start again", e);
            }
        }
    }

    /** The anvil {@code anvil.pid} names, when that very process (same pid, same start) still runs. */
    private Optional<ProcessHandle> recorded() {
        Path file = folder.resolve("anvil.pid");
        String[] parts;
        try {
            parts = Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+");
        } catch (IOException e) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(parts[0]);
            Instant start = Instant.parse(parts[1]);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> h.info().startInstant()
                    .map(s -> Duration.between(s, start).abs().compareTo(SAME_START) <= 0).orElse(false));
        } catch (RuntimeException damaged) {
            log.warn("Ignoring {}: {}", file, damaged.toString());
            return Optional.empty();
        }
    }

    void recordRunning(Process anvil) {
        String start = anvil.info().startInstant().orElse(Instant.now()).toString();
        try {
            Folders.writeAtomically(folder.resolve("anvil.pid"), (anvil.pid() + " " + start + "\n")
                    .getBytes(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            // the chain runs; only a later start after a kill would miss it
            log.warn("Cannot record anvil's pid in {}: {}", folder, e.getMessage());
        }
    }

    /** Forgets {@code anvil} once it has stopped (a file naming another process is left alone). */
    void recordStopped(Process anvil) {
        if (anvil.isAlive()) {
            return;
        }
        Path file = folder.resolve("anvil.pid");
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (text.startsWith(anvil.pid() + " ")) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // nothing recorded
        }
    }

    void release() {
        try {
            lock.release();
        } catch (IOException | RuntimeException ignored) {
            // closing the channel lets go of it as well
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to keep
        }
    }
}
