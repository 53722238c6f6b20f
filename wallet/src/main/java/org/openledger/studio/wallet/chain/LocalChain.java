package org.openledger.studio.wallet.chain;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openledger.studio.store.Folders;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local devnet: anvil on 127.0.0.1 at a free port, chain id {@value #CHAIN_ID}, its state kept in
 * {@code folder/anvil-state.json} (loaded at start, written every few seconds and on stop) so balances, contracts and
 * nonces survive restarts. Anvil's log of the current run goes to {@code folder/anvil.log} (it names every RPC
 * call, so it is started afresh each time rather than growing forever). If the JVM exits without {@link #close()},
 * a shutdown hook stops anvil so it never outlives the studio.
 *
 * <p>A JVM killed outright (SIGKILL, a crash) runs no hook, and its anvil lives on, still writing the state file.
 * So the folder is locked ({@code folder/anvil.lock}, held while the chain runs; the OS lets go when the process
 * dies), and anvil's pid and start time are kept in {@code folder/anvil.pid}. The next start takes the lock and
 * finds an anvil left behind by that file: with the lock free nobody owns it, so it is stopped (SIGTERM: it writes
 * its state on the way out) before the new one loads the state. A second chain on a folder in use is refused.
 */
public final class LocalChain implements AutoCloseable {

    public static final long CHAIN_ID = 31337;
    /** Anvil's (and hardhat's) public test phrase: its accounts are funded on every devnet and known to everyone. */
    public static final String DEV_MNEMONIC = "test test test test test test test test test test test junk";

    private static final Logger log = LoggerFactory.getLogger(LocalChain.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final int port;
    private final Path folder;
    private final Thread shutdownHook;
    private final FolderLock lock;

    private LocalChain(Process process, int port, Path folder, FolderLock lock) {
        this.process = process;
        this.port = port;
        this.folder = folder;
        this.lock = lock;
        this.shutdownHook = new Thread(process::destroy, "anvil-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts anvil and returns once it answers JSON-RPC.
     *
     * @throws ChainException when anvil cannot start or does not answer in time; the message quotes its log
     */
    public static LocalChain start(FoundryTools tools, Path folder) {
        Folders.ensureWritable(folder);
        FolderLock lock = FolderLock.take(folder);
        try {
            lock.stopLeftBehind();
            ChainException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                int port = freePort();
                try {
                    return launch(tools, folder, port, lock);
                } catch (ChainException e) {
                    // the free port may have been taken between probing and binding: try another
                    last = e;
                }
            }
            throw last;
        } catch (RuntimeException e) {
            lock.release();
            throw e;
        }
    }

    private static LocalChain launch(FoundryTools tools, Path folder, int port, FolderLock lock) {
        Path logFile = folder.resolve("anvil.log");
        List<String> command = new ArrayList<>(List.of(tools.anvil().toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--chain-id", Long.toString(CHAIN_ID),
                "--mnemonic", DEV_MNEMONIC,
                "--state", folder.resolve("anvil-state.json").toString(),
                "--state-interval", "5"));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile())).start();
        } catch (IOException e) {
            throw new ChainException("Cannot start anvil at " + tools.anvil() + ": " + e.getMessage(), e);
        }
        LocalChain chain = new LocalChain(process, port, folder, lock);
        lock.recordRunning(process);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Web3j web3j = Web3j.build(new HttpService(chain.rpcUrl()));
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new ChainException("anvil exited with code " + process.exitValue() + " while starting: "
                            + tail(logFile));
                }
                try {
                    long id = web3j.ethChainId().send().getChainId().longValueExact();
                    if (id != CHAIN_ID) {
                        throw new ChainException("Port " + port + " answers chain " + id + ", not the devnet");
                    }
                    log.info("Local chain up at {} (state in {})", chain.rpcUrl(), folder);
                    return chain;
                } catch (IOException notYet) {
                    process.waitFor(50, TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            chain.stop();
            throw new ChainException("Interrupted while starting anvil", e);
        } catch (RuntimeException e) {
            chain.stop();
            throw e;
        } finally {
            web3j.shutdown();
        }
        chain.stop();
        throw new ChainException("anvil did not answer within " + START_TIMEOUT.toSeconds() + " s: " + tail(logFile));
    }

    public int port() {
        return port;
    }

    public String rpcUrl() {
        return "http://127.0.0.1:" + port;
    }

    public long chainId() {
        return CHAIN_ID;
    }

    public Path folder() {
        return folder;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** Stops anvil politely (it writes its state on the way out), forcibly after 10 s; then lets go of the folder. */
    @Override
    public void close() {
        stop();
        lock.recordStopped(process);
        lock.release();
    }

    /** Stops this chain's anvil; the folder stays locked (a failed launch tries another port under the same lock). */
    private void stop() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException alreadyShuttingDownOrRemoved) {
            // the hook runs or ran anyway
        }
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                log.warn("anvil did not stop within 10 s; killing it (state of the last 5 s may be lost)");
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new ChainException("No free local port for anvil: " + e.getMessage(), e);
        }
    }

    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
