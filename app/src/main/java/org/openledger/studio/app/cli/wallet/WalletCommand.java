package org.openledger.studio.app.cli.wallet;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code studio wallet ...}: the studio's wallet for scripting, in the spirit of foundry's {@code cast wallet}. */
@Command(name = "wallet", mixinStandardHelpOptions = true,
        description = "Create, import and list accounts; derive addresses; sign transactions and EIP-712 typed data. "
                + "Keys stay on this machine; only `send` and `pending` talk to a chain.",
        subcommands = {WalletNewCommand.class, WalletImportCommand.class, WalletListCommand.class,
                WalletAddressCommand.class, SignTxCommand.class, SignTypedDataCommand.class,
                WalletSendCommand.class, WalletPendingCommand.class})
public final class WalletCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: new, import, list, address, "
                + "sign-tx, sign-typed-data, send or pending");
    }
}
