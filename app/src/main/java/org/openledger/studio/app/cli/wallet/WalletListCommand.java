package org.openledger.studio.app.cli.wallet;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.openledger.studio.wallet.Account;
import org.openledger.studio.wallet.HdPath;
import org.openledger.studio.wallet.Wallet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code studio wallet list}: one line per account: address, kind, derivation path, label. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the wallet's accounts: address, kind (hd, imported, watch-only), path and label.")
public final class WalletListCommand implements Callable<Integer> {

    @Mixin
    WalletFolder folder;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Wallet wallet = folder.open();
        for (Account a : wallet.accounts()) {
            String kind = switch (a.kind()) {
                case HD -> "hd";
                case IMPORTED -> "imported";
                case WATCH_ONLY -> "watch-only";
            };
            String path = a.hdIndex() == null ? "-" : HdPath.ethereum(a.hdIndex()).toString();
            out.println(a.address() + "  " + kind + "  " + path + "  " + a.label());
        }
        out.flush();
        return 0;
    }
}
