package org.openledger.studio.app.cli.wallet;

import java.util.concurrent.Callable;
import org.openledger.studio.api.chain.ChainInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code studio wallet send}: one reviewed EIP-1559 transaction from a wallet account. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Send gas token and/or call data from a wallet account: nonce, gas and fees are worked out, the "
                + "full review (decoded call, gas x max fee = max cost, chain, nonce, warnings) is printed, and the "
                + "transaction is signed, broadcast and waited for only with --yes.")
public final class WalletSendCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, description = "The sending account (in the wallet).")
    String from;

    @Option(names = "--to", required = true, description = "Recipient address (EIP-55 checksum checked when mixed "
            + "case).")
    String to;

    @Option(names = "--value", defaultValue = "0", description = "Value in wei (default: ${DEFAULT-VALUE}).")
    String value;

    @Option(names = "--data", defaultValue = "0x", description = "Call data as hex (default: ${DEFAULT-VALUE}).")
    String data;

    @Mixin
    ChainOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var recipient = Contracts.address(to);
        var wei = CliSecrets.number(value, "--value");
        byte[] payload = CliSecrets.hex(data, "--data");
        ChainInfo chain = options.chain();
        try (ChainOptions.Session s = options.open(chain, from)) {
            s.send(spec.commandLine().getOut(), "send " + wei + " wei" + (payload.length == 0 ? ""
                    : " with " + payload.length + " bytes of call data") + " to " + recipient, recipient, wei,
                    payload);
        }
        return 0;
    }
}
