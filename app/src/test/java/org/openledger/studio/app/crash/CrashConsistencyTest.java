package org.openledger.studio.app.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.wallet.chain.FoundryTools;
import org.openledger.studio.wallet.chain.LocalChain;

/**
 * The crash harness: real {@code studio daemon} child processes (and a child CLI for the wallet) killed at seeded
 * points inside Datanet uploads, fine-tuning checkpoints, influence index builds, reward settlements and transaction
 * broadcasts, restarted, and checked (decision 0023, docs/RELIABILITY.md). CI runs a few points per scenario;
 * {@code scripts/crash.sh POINTS SEED} runs many ({@code -Dcrash.points}, {@code -Dcrash.seed}) and prints the table.
 */
class CrashConsistencyTest {

    static final int POINTS = Integer.getInteger("crash.points", 2);
    static final long SEED = Long.getLong("crash.seed", 23L);

    @TempDir
    Path dir;

    @AfterAll
    static void table() throws Exception {
        String table = CrashTable.render(SEED);
        System.out.println(table);
        CrashTable.write(Path.of("target", "crash-report.md"), SEED);
    }

    private static void assertClean(CrashTable.Row row) {
        row.done();
        assertTrue(row.violations.isEmpty(), row.scenario + ": " + String.join("\n", row.violations));
    }

    @Test
    void datanetUpload() throws Exception {
        CrashTable.Row row = CrashTable.row("(a) Datanet upload");
        try (LocalChain chain = LocalChain.start(FoundryTools.fromEnvironment(), dir.resolve("anvil"))) {
            DatanetUploadCrash.run(dir, chain.rpcUrl(), POINTS, SEED, row);
        }
        assertClean(row);
    }

    @Test
    void fineTuneCheckpoint() throws Exception {
        CrashTable.Row row = CrashTable.row("(b) fine-tune checkpoint");
        try (LocalChain chain = LocalChain.start(FoundryTools.fromEnvironment(), dir.resolve("anvil"))) {
            FineTuneCrash.fineTune(dir, chain.rpcUrl(), POINTS, SEED, row);
        }
        assertClean(row);
    }

    @Test
    void attributionIndexBuild() throws Exception {
        CrashTable.Row row = CrashTable.row("(c) attribution index build");
        try (LocalChain chain = LocalChain.start(FoundryTools.fromEnvironment(), dir.resolve("anvil"))) {
            FineTuneCrash.index(dir, chain.rpcUrl(), POINTS, SEED, row);
        }
        assertClean(row);
    }

    @Test
    void rewardSettlement() throws Exception {
        CrashTable.Row row = CrashTable.row("(d) reward settlement");
        RewardSettlementCrash.run(dir, POINTS, SEED, row);
        assertClean(row);
    }

    @Test
    void transactionBroadcast() throws Exception {
        CrashTable.Row row = CrashTable.row("(e) transaction broadcast");
        try (LocalChain chain = LocalChain.start(FoundryTools.fromEnvironment(), dir.resolve("anvil"))) {
            BroadcastCrash.run(dir, chain.rpcUrl(), POINTS, SEED, row);
        }
        assertClean(row);
    }
}
