package org.openledger.studio.app.cli.wallet;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.openledger.studio.app.cli.UserError;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.signing.SignedTransaction;
import org.openledger.studio.wallet.signing.TransactionRequest;
import org.openledger.studio.wallet.signing.TransactionSigner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code studio wallet sign-tx}: an EIP-1559 transaction signed offline; prints the raw transaction hex. */
@Command(name = "sign-tx", mixinStandardHelpOptions = true,
        description = "Sign an EIP-1559 (type 2) transaction offline with a keystore v3 file and print the raw signed "
                + "transaction as 0x hex (byte-identical to `cast mktx`). Nothing is sent.")
public final class SignTxCommand implements Callable<Integer> {

    @Option(names = "--keystore", required = true, description = "Keystore v3 file of the signing key.")
    Path keystore;

    @Option(names = "--password-file", required = true, description = "File holding the keystore's password.")
    Path passwordFile;

    @Option(names = "--chain-id", required = true, description = "Chain id (31337 devnet, 161201 OpenLedger testnet, "
            + "1612 OpenLedger mainnet).")
    String chainId;

    @Option(names = "--nonce", required = true, description = "The sender's nonce.")
    String nonce;

    @Option(names = "--to", required = true, description = "Recipient address (EIP-55 checksum checked when mixed "
            + "case).")
    String to;

    @Option(names = "--value", defaultValue = "0", description = "Value in wei (default: ${DEFAULT-VALUE}).")
    String value;

    @Option(names = "--data", defaultValue = "0x", description = "Call data as hex (default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--gas", required = true, description = "Gas limit.")
    String gas;

    @Option(names = "--max-fee", required = true, description = "Max fee per gas in wei.")
    String maxFee;

    @Option(names = "--priority-fee", required = true, description = "Max priority fee per gas in wei.")
    String priorityFee;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        BigInteger chain = CliSecrets.number(chainId, "--chain-id");
        if (chain.signum() == 0 || chain.bitLength() > 63) {
            throw new UserError("--chain-id must be between 1 and 2^63-1, got " + chainId);
        }
        Address recipient = CliSecrets.userErrors(() -> Address.parse(to));
        TransactionRequest request;
        try {
            request = new TransactionRequest(chain.longValueExact(), CliSecrets.number(nonce, "--nonce"), recipient,
                    CliSecrets.number(value, "--value"), CliSecrets.hex(data, "--data"),
                    CliSecrets.number(gas, "--gas"), CliSecrets.number(maxFee, "--max-fee"),
                    CliSecrets.number(priorityFee, "--priority-fee"));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        SignedTransaction signed;
        try (Secret password = CliSecrets.read(passwordFile, "password")) {
            signed = CliSecrets.userErrors(() -> {
                try (PrivateKey key = CliSecrets.keystore().read(keystore, password)) {
                    return new TransactionSigner().sign(request, key);
                }
            });
        }
        spec.commandLine().getOut().println(signed.rawHex());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
