package org.openledger.studio.app.cli.wallet;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.openledger.studio.wallet.Account;
import org.openledger.studio.wallet.Mnemonic;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.Wallet;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code studio wallet new}: a new HD wallet (24 words); prints the recovery phrase once, then the first address.
 * With an existing recovery phrase, derives the next HD account instead (with {@code --account}).
 */
@Command(name = "new", mixinStandardHelpOptions = true,
        description = "Create a wallet with a new 24-word recovery phrase (printed once: write it down) and its first "
                + "account, or with --account the wallet's next account (m/44'/60'/0'/0/i).")
public final class WalletNewCommand implements Callable<Integer> {

    @Mixin
    WalletFolder folder;

    @Option(names = "--password-file", required = true, description = "File holding the wallet's password.")
    Path passwordFile;

    @Option(names = "--account", description = "Add the next account from the existing recovery phrase.")
    boolean nextAccount;

    @Option(names = "--label", description = "The new account's label.")
    String label;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Wallet wallet = folder.open();
        try (Secret password = CliSecrets.read(passwordFile, "password")) {
            if (nextAccount) {
                Account a = CliSecrets.userErrors(() -> wallet.addHdAccount(password, label));
                out.println(a.address());
                out.flush();
                return 0;
            }
            if (wallet.hasRecoveryPhrase()) {
                throw new org.openledger.studio.app.cli.UserError("The wallet in " + wallet.folder()
                        + " already has a recovery phrase; use `studio wallet new --account` for another account");
            }
            try (Mnemonic mnemonic = Mnemonic.generate(new SecureRandom())) {
                Account a = CliSecrets.userErrors(() -> {
                    Account created = wallet.createFromMnemonic(mnemonic, password);
                    return label == null ? created : wallet.rename(created.address(), label);
                });
                char[] words = mnemonic.phrase();
                try {
                    out.println("Recovery phrase (shown once; anyone who has it owns the wallet):");
                    CliSecrets.print(out, words);
                } finally {
                    Secret.wipe(words);
                }
                out.println(a.address());
                out.flush();
            }
        }
        return 0;
    }
}
