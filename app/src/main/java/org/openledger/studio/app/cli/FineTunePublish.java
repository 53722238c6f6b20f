package org.openledger.studio.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.app.cli.wallet.ChainOptions;
import org.openledger.studio.store.Folders;
import org.openledger.studio.wallet.WalletException;
import org.openledger.studio.wallet.registry.AdapterPublication;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code studio finetune publish ID | --adapter-dir DIR}: publishes a fine-tuned adapter to {@code ModelRegistry}
 * ({@code publishAdapter(contentHash, baseModel, datanetIds)}, see {@link AdapterPublication} for the content hash).
 * A job's adapter is pulled (every file checked by SHA-256) into a temporary folder and hashed there; its base model
 * and Datanets come from the job. The whole review is printed; it is signed and broadcast only with {@code --yes}.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = "Publish a fine-tuned adapter to the ModelRegistry on the node's chain (its content hash, base "
                + "model and the Datanets it was trained on). The full review is printed; it is signed and broadcast "
                + "only with --yes.")
final class FineTunePublish implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "A fine-tuning job id (ftjob-...) that "
            + "succeeded on the node; or give --adapter-dir.")
    String id;

    @Option(names = "--adapter-dir", paramLabel = "DIR", description = "A local PEFT adapter folder "
            + "(adapter_config.json + adapter_model.safetensors) instead of a job.")
    Path adapterDir;

    @Option(names = "--from", required = true, description = "The publishing account (in the wallet); it becomes the "
            + "adapter's owner.")
    String from;

    @Option(names = "--datanet-id", paramLabel = "N", description = "On-chain Datanet id(s) the adapter was trained "
            + "on (default: the job's datanets; none for --adapter-dir).")
    List<String> datanetIds;

    @Option(names = "--base-model", description = "The base model's name (default: the job's model, or "
            + "adapter_config.json's base_model_name_or_path).")
    String baseModel;

    @Mixin
    ChainOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if ((id == null) == (adapterDir == null)) {
            throw new UserError("name the adapter: a job id (ftjob-...) or --adapter-dir DIR, not both");
        }
        List<BigInteger> given = datanetIds == null ? null : refusals(() -> AdapterPublication.datanetIds(
                datanetIds));
        PrintWriter out = spec.commandLine().getOut();
        ChainInfo info = options.chain();
        Path tmp = null;
        try {
            byte[] hash;
            String base;
            List<BigInteger> datanets;
            String source;
            if (id != null) {
                if (!id.startsWith("ftjob-")) {
                    throw new UserError("'" + id + "' is not a job id (ftjob-...); for a local folder use "
                            + "--adapter-dir DIR (`studio finetune pull` gets an adapter's files)");
                }
                NodeClient node = AdapterFolders.clientWithToken(options.url(), options.nodeToken());
                FineTuneJob job = node.fineTuneJob(id);
                if (!"succeeded".equals(job.status()) || job.fineTunedModel() == null) {
                    throw new UserError("Job " + id + " is " + job.status() + "; only a job that succeeded has an "
                            + "adapter to publish");
                }
                tmp = Files.createTempDirectory("studio-publish-");
                Path pulled = tmp.resolve("adapter");
                FineTunePull.pull(node, job.fineTunedModel(), pulled, false);
                hash = refusals(() -> AdapterPublication.contentHash(pulled));
                base = baseModel != null ? baseModel : job.model();
                datanets = given != null ? given : refusals(() -> {
                    try {
                        return AdapterPublication.datanetIds(job.datanets());
                    } catch (WalletException e) {
                        throw new WalletException("Job " + id + " trained on Datanets " + job.datanets() + ", which "
                                + "are not on-chain ids: " + e.getMessage() + "; give them with --datanet-id");
                    }
                });
                source = "job " + id + ", adapter " + job.fineTunedModel() + " (pulled and checked by SHA-256)";
            } else {
                Path dir = adapterDir.toAbsolutePath().normalize();
                if (!Files.isDirectory(dir)) {
                    throw new UserError("--adapter-dir " + adapterDir + " is not a folder");
                }
                hash = refusals(() -> AdapterPublication.contentHash(dir));
                base = baseModel != null ? baseModel : refusals(() -> AdapterPublication.baseModel(dir)).orElseThrow(
                        () -> new UserError(dir.resolve(AdapterPublication.CONFIG_FILE) + " names no "
                                + "base_model_name_or_path; give --base-model"));
                datanets = given != null ? given : List.of();
                source = dir.toString();
            }
            out.println("Adapter:      " + source);
            out.println("Content hash: " + AdapterPublication.hex(hash) + " (keccak256 of name + SHA-256 of "
                    + String.join(" and ", AdapterPublication.HASHED_FILES) + ")");
            out.println("Base model:   " + base);
            out.println("Datanets:     " + (datanets.isEmpty() ? "none" : datanets));
            out.flush();
            try (ChainOptions.Session s = options.open(info, from)) {
                AdapterPublication publication = refusals(() -> new AdapterPublication(s.client(),
                        info.contracts()));
                AdapterPublication.Request request = refusals(() -> publication.request(s.from(), hash, base,
                        datanets));
                AdapterPublication.Published[] published = new AdapterPublication.Published[1];
                TransactionReceipt receipt = s.send(out, request.call().description(), request.call().to(),
                        BigInteger.ZERO, request.call().data(), txHash -> {
                            out.println("Sent " + txHash + ": pending");
                            out.flush();
                            TransactionReceipt r = s.outbox().settle(txHash, s.settleTimeout());
                            published[0] = publication.published(r);
                            return r;
                        });
                if (receipt != null) {
                    AdapterPublication.Published p = published[0];
                    out.println("Published adapter " + p.adapterId() + " in the ModelRegistry on chain "
                            + info.chainId() + ": content hash " + p.contentHashHex() + ", base model \""
                            + p.baseModel() + "\", owner " + p.owner() + ", Datanets "
                            + (p.datanetIds().isEmpty() ? "none" : p.datanetIds()) + ", block " + p.block());
                    out.flush();
                }
            }
            return 0;
        } finally {
            Folders.deleteQuietly(tmp);
        }
    }

    /** Wallet refusals (already published, unknown Datanet, no adapter files...) as one-line user errors. */
    private static <T> T refusals(java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (WalletException e) {
            throw new UserError(e.getMessage());
        }
    }
}
