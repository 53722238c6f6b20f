package org.openledger.studio.app.cli.datanet;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.concurrent.Callable;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.app.cli.wallet.ChainOptions;
import org.openledger.studio.datanet.onchain.DatanetChain;
import org.openledger.studio.datanet.onchain.DatanetMetadata;
import org.openledger.studio.datanet.onchain.OnChainDatanet;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.Workspace;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code studio datanet publish NAME}: {@code DatanetRegistry.createDatanet(keccak(metadata))} from a wallet account,
 * reviewed like every transaction; the id it gets is kept in the workspace, and uploads made afterwards are signed
 * for it, so they can be submitted on chain.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Create the Datanet on chain (DatanetRegistry.createDatanet with the keccak256 of its canonical "
                + "metadata) and keep its on-chain id in the workspace. The full review is printed; it is signed and "
                + "broadcast only with --yes. Publish before uploading: contributions are signed for the on-chain id.")
public final class DatanetPublishCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "The Datanet's name.")
    String name;

    @CommandLine.Option(names = "--from", required = true, description = "The owner's account (in the wallet).")
    String from;

    @Mixin
    ChainOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ChainInfo info = options.chain();
        PrintWriter out = spec.commandLine().getOut();
        return WorkspaceOptions.userErrors(() -> {
            try (Workspace ws = DatanetChainCommands.workspace(options); ChainOptions.Session s = options.open(info,
                    from)) {
                Datanet d = WorkspaceOptions.datanet(ws, name);
                DatanetChain chain = DatanetChainCommands.chain(ws, s, info);
                DatanetChain.Call call = chain.publish(d.id());
                out.println("Metadata: " + DatanetMetadata.canonicalJson(d));
                TransactionReceipt receipt = s.send(out, call.description(), call.to(), BigInteger.ZERO, call.data(),
                        hash -> s.outbox().settle(hash, s.settleTimeout()));
                if (receipt != null) {
                    OnChainDatanet p = chain.recordPublished(d.id(), receipt);
                    out.println("Published \"" + d.name() + "\" as Datanet " + p.onChainId() + " on chain "
                            + p.chain().chainId() + " (registry " + p.chain().registry() + ")");
                    out.flush();
                }
            }
            return 0;
        });
    }
}
