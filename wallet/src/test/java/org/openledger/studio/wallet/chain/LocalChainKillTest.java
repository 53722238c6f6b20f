package org.openledger.studio.wallet.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node killed with SIGKILL runs no shutdown hook, so its anvil lives on: the next start on the folder stops that
 * anvil before starting its own (never two on one state file), and a folder in use is refused. Real anvil, a real
 * child JVM killed for real.
 */
class LocalChainKillTest {

    @Test
    void anAnvilLeftByAKilledNodeIsStoppedAtTheNextStart(@TempDir Path dir) throws Exception {
        Path tools = Path.of(System.getProperty(FoundryTools.PROPERTY));
        Path folder = dir.resolve("chain");
        Process holder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DevnetHolder.class.getName(), tools.toString(),
                folder.toString())).redirectErrorStream(true).start();
        long orphanPid;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("ready "));
            assertTrue(line != null, "the child never started its devnet");
            orphanPid = Long.parseLong(line.split(" ")[1]);
        } finally {
            holder.destroyForcibly(); // SIGKILL: no shutdown hook runs
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        ProcessHandle orphan = ProcessHandle.of(orphanPid).orElseThrow();
        assertTrue(orphan.isAlive(), "the killed node's anvil outlives it (what the lock and pid file are for)");

        try (LocalChain chain = LocalChain.start(FoundryTools.in(tools), folder)) {
            assertTrue(orphan.onExit().isDone() || !orphan.isAlive(), "the left-behind anvil was stopped first");
            assertTrue(chain.isRunning());
            String pid = Files.readString(folder.resolve("anvil.pid")).trim().split(" ")[0];
            assertNotEquals(Long.toString(orphanPid), pid);

            // a second chain on the same folder is refused while this one runs
            ChainException busy = assertThrows(ChainException.class,
                    () -> LocalChain.start(FoundryTools.in(tools), folder));
            assertTrue(busy.getMessage().contains("in use"), busy.getMessage());
            assertTrue(chain.isRunning(), "the refused start left the running chain alone");
        }
        assertFalse(Files.exists(folder.resolve("anvil.pid")), "a chain that stopped cleanly leaves no pid behind");
        // and the folder can be taken again
        try (LocalChain again = LocalChain.start(FoundryTools.in(tools), folder)) {
            assertEquals(31337, again.chainId());
        }
    }
}
