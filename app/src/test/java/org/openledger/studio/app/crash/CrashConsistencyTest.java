package org.openledger.studio.app.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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

    /** One scenario of the table on a fresh local chain (a real anvil in {@code dir/anvil}). */
    @FunctionalInterface
    private interface OnChain {
        void run(String rpc, CrashTable.Row row) throws Exception;
    }

    private void onLocalChain(String scenario, OnChain run) throws Exception {
        CrashTable.Row row = CrashTable.row(scenario);
        try (LocalChain chain = LocalChain.start(FoundryTools.fromEnvironment(), dir.resolve("anvil"))) {
            run.run(chain.rpcUrl(), row);
        }
        assertClean(row);
    }

    private static void assertClean(CrashTable.Row row) {
        row.done();
        assertTrue(row.violations.isEmpty(), row.scenario + ": " + String.join("\n", row.violations));
    }

    @Test
    void datanetUpload() throws Exception {
        onLocalChain("(a) Datanet upload", (rpc, row) -> DatanetUploadCrash.run(dir, rpc, POINTS, SEED, row));
    }

    @Test
    void fineTuneCheckpoint() throws Exception {
        onLocalChain("(b) fine-tune checkpoint", (rpc, row) -> FineTuneCrash.fineTune(dir, rpc, POINTS, SEED, row));
    }

    @Test
    void attributionIndexBuild() throws Exception {
        onLocalChain("(c) attribution index build", (rpc, row) -> FineTuneCrash.index(dir, rpc, POINTS, SEED, row));
    }

    @Test
    void rewardSettlement() throws Exception {
        CrashTable.Row row = CrashTable.row("(d) reward settlement");
        RewardSettlementCrash.run(dir, POINTS, SEED, row);
        assertClean(row);
    }

    @Test
    void transactionBroadcast() throws Exception {
        onLocalChain("(e) transaction broadcast", (rpc, row) -> BroadcastCrash.run(dir, rpc, POINTS, SEED, row));
    }
}
