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
 * a shutdown hook stops anvil so it never outlives the studio. A JVM killed outright (SIGKILL, a crash) runs no hook
 * and leaves anvil running, with everything it mined since its last state write; its pid is kept in
 * {@code folder/anvil.pid}, and the next start stops that anvil politely first, so it writes its state and the new
 * one goes on from there (decision 0023).
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

    private LocalChain(Process process, int port, Path folder) {
        this.process = process;
        this.port = port;
        this.folder = folder;
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
        stopLeftover(folder);
        ChainException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            try {
                return launch(tools, folder, port);
            } catch (ChainException e) {
                // the free port may have been taken between probing and binding: try another
                last = e;
            }
        }
        throw last;
    }

    private static LocalChain launch(FoundryTools tools, Path folder, int port) {
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
        LocalChain chain = new LocalChain(process, port, folder);
        chain.keepPid();
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
            chain.close();
            throw new ChainException("Interrupted while starting anvil", e);
        } catch (RuntimeException e) {
            chain.close();
            throw e;
        } finally {
            web3j.shutdown();
        }
        chain.close();
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

    /** Stops anvil politely (it writes its state on the way out), forcibly after 10 s. */
    @Override
    public void close() {
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

    private static final String PID_FILE = "anvil.pid";

    /** Notes which process serves this folder (pid and start time, so a reused pid is never taken for it). */
    private void keepPid() {
        try {
            String started = process.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("");
            Folders.writeAtomically(folder.resolve(PID_FILE), (process.pid() + " " + started + "\n")
                    .getBytes(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            log.warn("Cannot note anvil's pid in {}: a crash would leave it running", folder, e);
        }
    }

    /**
     * Stops the anvil an earlier process started on this folder and could not stop (it was killed): SIGTERM, so it
     * writes its state, then SIGKILL after 10 s. Only a live process with the noted pid, start time and an anvil
     * command line is touched.
     */
    static void stopLeftover(Path folder) {
        Path file = folder.resolve(PID_FILE);
        String[] noted;
        try {
            if (!Files.isRegularFile(file)) {
                return;
            }
            noted = Files.readString(file, StandardCharsets.UTF_8).strip().split(" ");
        } catch (IOException e) {
            log.warn("Cannot read {}: {}", file, e.getMessage());
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(noted[0]);
        } catch (NumberFormatException e) {
            return;
        }
        String started = noted.length > 1 ? noted[1] : "";
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("")
                        .equals(started))
                .filter(p -> p.info().command().map(c -> c.contains("anvil")).orElse(false))
                .ifPresent(p -> {
                    log.warn("anvil {} of an earlier run still serves {} (that run was killed): stopping it", pid,
                            folder);
                    p.destroy();
                    try {
                        p.onExit().get(10, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        p.destroyForcibly();
                    } catch (java.util.concurrent.ExecutionException e) {
                        // it is gone either way
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
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
