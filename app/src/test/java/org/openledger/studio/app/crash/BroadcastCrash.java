package org.openledger.studio.app.crash;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openledger.studio.app.StudioProcess;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Keystore;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.ScryptParams;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.Wallet;
import org.openledger.studio.wallet.chain.ChainConnection;
import org.openledger.studio.wallet.chain.PendingTransaction;
import org.web3j.crypto.TransactionDecoder;

/**
 * (e) {@code studio wallet send} (a child JVM: the CLI's nonce book and outbox) killed after the transaction is
 * saved and before it is sent, after the node has it and before the book says so, or at a random moment after the
 * review is printed; then the wallet's recovery ({@code Outbox.resume}, what {@code studio wallet pending --resend}
 * runs). Invariants: no nonce carries two live transactions with different contents, every transaction on chain is
 * in the nonce book, the chain's nonce is the number of mined transactions in the book, the recipient holds exactly
 * what the mined transactions sent (none paid twice), SQLite files intact.
 */
final class BroadcastCrash {

    // anvil's account 3: a published test key with 10,000 ETH on a fresh devnet
    private static final String KEY = "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";
    private static final String FROM = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

    private BroadcastCrash() {
    }

    static void run(Path dir, String rpcUrl, int points, long seed, CrashTable.Row row) throws Exception {
        KillPlan plan = new KillPlan(seed, List.of(new KillPlan.Hook("outbox.signed", 1),
                new KillPlan.Hook("outbox.broadcast", 1)), 400);
        Path walletDir = dir.resolve("wallet");
        Path password = Files.writeString(dir.resolve("password"), "crash test\n");
        // a light keystore keeps each child's unlock short; the CLI reads the cost from the file
        Wallet wallet = new Wallet(walletDir, new Keystore(new ScryptParams(1 << 12, 8, 1), new SecureRandom()),
                Clock.systemUTC(), Duration.ofMinutes(5));
        try (PrivateKey k = PrivateKey.parseHex(Secret.of(KEY.toCharArray()));
             Secret p = Secret.of("crash test".toCharArray())) {
            wallet.importPrivateKey(k, p, "crash");
        }
        byte[] to = new byte[20];
        plan.random().nextBytes(to);
        Address recipient = Address.parse("0x" + HexFormat.of().formatHex(to));
        Address from = Address.parse(FROM);
        for (int i = 0; i < points; i++) {
            KillPlan.Point p = plan.next();
            List<String> jvm = new ArrayList<>(List.of("-Dstudio.log.level=WARN"));
            if (p.crashAt() != null) {
                jvm.add("-Dstudio.crash.at=" + p.crashAt());
            }
            Process cli = StudioProcess.builder(dir, jvm, "wallet", "send", "--from", FROM, "--to",
                            recipient.toString(), "--value", String.valueOf(1000 + i), "--yes", "--password-file",
                            password.toString(), "--rpc-url", rpcUrl, "--chain-id", "31337", "--wallet-dir",
                            walletDir.toString())
                    .redirectErrorStream(true).start();
            cli.getOutputStream().close();
            StringBuilder out = new StringBuilder();
            CompletableFuture<Void> reviewed = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(cli.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        synchronized (out) {
                            out.append(line).append('\n');
                        }
                        if (line.startsWith("Review:")) {
                            reviewed.complete(null);
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the child was killed
                }
                reviewed.complete(null);
            }, "crash-cli-out");
            reader.start();
            reviewed.get(600, TimeUnit.SECONDS); // a JVM start: minutes on a loaded machine
            CompletableFuture<Integer> sending = cli.onExit().thenApply(Process::exitValue);
            if (p.hook() != null) {
                boolean ended = cli.waitFor(300, TimeUnit.SECONDS);
                reader.join(10_000);
                String text;
                synchronized (out) {
                    text = out.toString();
                }
                if (ended && text.contains("crash point ")) {
                    row.halted++;
                } else {
                    row.missed++;
                    row.check(ended && cli.exitValue() == 0, p + ": the send failed: " + text);
                }
            } else {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(p.delayMillis());
                while (!sending.isDone() && System.nanoTime() < until) {
                    Thread.sleep(2);
                }
                if (sending.isDone()) {
                    row.missed++;
                } else {
                    row.killed++;
                }
                cli.destroyForcibly();
                cli.waitFor(60, TimeUnit.SECONDS);
                reader.join(10_000);
            }
            Kills.checkFiles(dir, row, p);
            // the recovery a user runs: what the wallet signed and did not see mined is sent again, same bytes
            try (ChainConnection chain = new ChainConnection(rpcUrl, 31337, Map.of(), wallet,
                    walletDir.resolve("transactions.db"))) {
                chain.outbox.resume(from);
                awaitMined(chain, from);
                check(chain, from, recipient, row, "after " + p);
            }
            row.restarts++;
        }
        try (ChainConnection chain = new ChainConnection(rpcUrl, 31337, Map.of(), wallet,
                walletDir.resolve("transactions.db"))) {
            check(chain, from, recipient, row, "at the end");
        }
        Kills.checkFiles(dir, row, null);
        row.points = points;
    }

    private static void awaitMined(ChainConnection chain, Address from) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (chain.outbox.history(from).stream().noneMatch(t -> t.status() == PendingTransaction.Status.SENT)) {
                return;
            }
            Thread.sleep(50);
        }
    }

    private static void check(ChainConnection chain, Address from, Address recipient, CrashTable.Row row,
                              String when) {
        List<PendingTransaction> book = chain.outbox.history(from);
        Map<BigInteger, List<PendingTransaction>> byNonce = new HashMap<>();
        for (PendingTransaction t : book) {
            byNonce.computeIfAbsent(t.nonce(), n -> new ArrayList<>()).add(t);
        }
        long mined = 0;
        BigInteger paid = BigInteger.ZERO;
        for (var e : byNonce.entrySet()) {
            List<PendingTransaction> live = e.getValue().stream().filter(t -> t.status() == PendingTransaction.Status
                    .SIGNED || t.status() == PendingTransaction.Status.SENT || t.status() == PendingTransaction.Status
                    .MINED).toList();
            row.check(live.size() <= 1, when + ": nonce " + e.getKey() + " has " + live.size()
                    + " live transactions: " + live);
            for (PendingTransaction t : e.getValue()) {
                if (t.status() == PendingTransaction.Status.FAILED) {
                    mined++; // reverted, but it used its nonce
                }
                if (t.status() == PendingTransaction.Status.MINED) {
                    mined++;
                    paid = paid.add(TransactionDecoder.decode(t.rawHex()).getValue());
                }
            }
        }
        BigInteger nonce = chain.client.nonce(from, false);
        row.check(nonce.longValueExact() == mined, when + ": the chain counts " + nonce + " transactions of " + from
                + ", the nonce book " + mined + " mined");
        BigInteger held = chain.client.balance(recipient);
        row.check(held.equals(paid), when + ": the recipient holds " + held + " wei, the mined transactions sent "
                + paid);
    }
}
