package org.openledger.studio.app.cli.wallet;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.wallet.chain.PendingTransaction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code studio wallet pending}: what an account signed and is not mined yet, read against the chain, and with
 * {@code --resend} the saved signed bytes of each sent again: after a crash or a dead node between signing and
 * broadcasting, the same transactions go out, never new ones, so nothing is paid twice.
 */
@Command(name = "pending", mixinStandardHelpOptions = true,
        description = "List the account's transactions that are not mined yet (signed and saved but never sent, or"
                + " sent and waiting); --resend sends each one's saved signed bytes again (no password needed: they"
                + " are already signed, and the same bytes cannot be paid twice).")
public final class WalletPendingCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, description = "The account (in the wallet).")
    String from;

    @Option(names = "--resend", description = "Send the saved bytes of every transaction not mined yet.")
    boolean resend;

    @Mixin
    ChainOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ChainInfo chain = options.chain();
        try (ChainOptions.Session s = options.open(chain, from)) {
            List<PendingTransaction> open = unsettled(s);
            if (resend && !open.isEmpty()) {
                int sent = CliSecrets.userErrors(() -> s.outbox().resume(s.from())).size();
                out.println("Resent " + sent + " of " + open.size() + " (the others were mined meanwhile)");
                open = unsettled(s);
            }
            if (open.isEmpty()) {
                out.println("Nothing pending for " + s.from() + " on " + chain.network() + " (" + chain.chainId()
                        + ")");
            }
            for (PendingTransaction t : open) {
                out.println("nonce " + t.nonce() + "  " + t.hash() + "  " + (t.status()
                        == PendingTransaction.Status.SIGNED ? "signed, not sent" : "sent, not mined")
                        + "  " + t.description());
            }
            out.flush();
        }
        return 0;
    }

    private static List<PendingTransaction> unsettled(ChainOptions.Session s) {
        return CliSecrets.userErrors(() -> s.outbox().history(s.from())).stream()
                .filter(t -> t.status().unsettled())
                .sorted(java.util.Comparator.comparing(PendingTransaction::nonce)).toList();
    }
}
