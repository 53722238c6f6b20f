package org.openledger.studio.app.cli.wallet;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.openledger.studio.app.cli.UserError;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.HdPath;
import org.openledger.studio.wallet.Mnemonic;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.Secret;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code studio wallet address}: the EIP-55 address of {@code m/44'/60'/0'/0/i} for a recovery phrase. */
@Command(name = "address", mixinStandardHelpOptions = true,
        description = "Print the EIP-55 address of account m/44'/60'/0'/0/<index> of a recovery phrase.")
public final class WalletAddressCommand implements Callable<Integer> {

    @Option(names = "--mnemonic-file", required = true, description = "File holding the BIP39 recovery phrase.")
    Path mnemonicFile;

    @Option(names = "--index", defaultValue = "0", description = "Account index (default: ${DEFAULT-VALUE}).")
    int index;

    @Option(names = "--passphrase-file", description = "File holding the optional BIP39 passphrase (\"25th word\").")
    Path passphraseFile;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (index < 0) {
            throw new UserError("--index must be 0 or more, got " + index);
        }
        Address address;
        try (Secret phrase = CliSecrets.read(mnemonicFile, "recovery phrase");
             Secret passphrase = passphraseFile == null ? Secret.of(new char[0])
                     : CliSecrets.read(passphraseFile, "passphrase")) {
            address = CliSecrets.userErrors(() -> {
                try (Mnemonic m = Mnemonic.parse(phrase)) {
                    byte[] seed = m.seed(passphrase);
                    try (PrivateKey key = HdPath.ethereum(index).derive(seed)) {
                        return key.address();
                    } finally {
                        Secret.wipe(seed);
                    }
                }
            });
        }
        spec.commandLine().getOut().println(address);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
