package org.openledger.studio.app.cli.wallet;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.openledger.studio.wallet.Account;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Mnemonic;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.Wallet;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code studio wallet import}: a recovery phrase, a private key, a keystore v3 file or a watch-only address. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a recovery phrase, a private key or a keystore v3 file (stored again under the wallet's "
                + "password), or follow an address without signing (--watch). Prints the account's address.")
public final class WalletImportCommand implements Callable<Integer> {

    @Mixin
    WalletFolder folder;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--mnemonic-file", description = "File holding a BIP39 recovery phrase.")
        Path mnemonicFile;

        @Option(names = "--private-key-file", description = "File holding a private key in hex.")
        Path privateKeyFile;

        @Option(names = "--keystore", description = "A keystore v3 file (geth, MetaMask, cast).")
        Path keystore;

        @Option(names = "--watch", description = "An address to follow without signing.")
        String watch;
    }

    @Option(names = "--password-file", description = "File holding the wallet's password (not needed for --watch).")
    Path passwordFile;

    @Option(names = "--keystore-password-file", description = "With --keystore: the file's own password (default: "
            + "the wallet's).")
    Path keystorePasswordFile;

    @Option(names = "--label", defaultValue = "", description = "The account's label.")
    String label;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Wallet wallet = folder.open();
        Account account;
        if (source.watch != null) {
            account = CliSecrets.userErrors(() -> wallet.watch(Address.parse(source.watch), label));
        } else {
            if (passwordFile == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "Missing --password-file: the wallet's "
                        + "password protects the imported key");
            }
            try (Secret password = CliSecrets.read(passwordFile, "password")) {
                account = importWithPassword(wallet, password);
            }
        }
        out.println(account.address());
        out.flush();
        return 0;
    }

    private Account importWithPassword(Wallet wallet, Secret password) {
        if (source.mnemonicFile != null) {
            try (Secret phrase = CliSecrets.read(source.mnemonicFile, "recovery phrase")) {
                return CliSecrets.userErrors(() -> {
                    try (Mnemonic m = Mnemonic.parse(phrase)) {
                        Account a = wallet.createFromMnemonic(m, password);
                        return label.isEmpty() ? a : wallet.rename(a.address(), label);
                    }
                });
            }
        }
        if (source.privateKeyFile != null) {
            try (Secret hex = CliSecrets.read(source.privateKeyFile, "private key")) {
                return CliSecrets.userErrors(() -> {
                    try (PrivateKey key = PrivateKey.parseHex(hex)) {
                        return wallet.importPrivateKey(key, password, label);
                    }
                });
            }
        }
        if (keystorePasswordFile == null) {
            return CliSecrets.userErrors(() -> wallet.importKeystore(source.keystore, password, password, label));
        }
        try (Secret filePassword = CliSecrets.read(keystorePasswordFile, "keystore password")) {
            return CliSecrets.userErrors(() -> wallet.importKeystore(source.keystore, filePassword, password, label));
        }
    }
}
