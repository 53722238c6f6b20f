package org.openledger.studio.app.cli.datanet;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.datanet.node.HttpRegistryClient;
import org.openledger.studio.api.registry.RegistryInfo;
import org.openledger.studio.app.cli.UserError;
import org.openledger.studio.datanet.contribution.ChunkLimits;
import org.openledger.studio.datanet.contribution.ContributionUploads;
import org.openledger.studio.datanet.contribution.ManifestDomain;
import org.openledger.studio.datanet.contribution.PreparedContribution;
import org.openledger.studio.datanet.contribution.UploadState;
import org.openledger.studio.datanet.onchain.ChainRef;
import org.openledger.studio.datanet.onchain.OnChainRecords;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.Workspace;
import org.openledger.studio.wallet.Keystore;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.ScryptParams;
import org.openledger.studio.wallet.Secret;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code studio datanet upload}: prepares a contribution of the Datanet's rows that are not rejected and not yet
 * contributed, signs its manifest (EIP-712, for the domain the node names), and uploads it chunk by chunk. An
 * unfinished contribution of the Datanet is resumed instead.
 */
@Command(name = "upload", mixinStandardHelpOptions = true,
        description = "Sign and upload the Datanet's new rows to the node's registry; resumes an unfinished upload.")
public final class DatanetUploadCommand implements Callable<Integer> {

    @Mixin
    NodeOptions nodeOptions;

    @Option(names = "--datanet", required = true, description = "The Datanet's name.")
    String datanet;

    @Option(names = "--registry-id", description = "The Datanet's id in the registry (default: its on-chain id when "
            + "it is published on the node's chain, else its workspace id).")
    BigInteger registryId;

    @ArgGroup(exclusive = true, multiplicity = "1")
    KeySource key;

    static final class KeySource {
        @Option(names = "--keystore", description = "A wallet keystore file (Web3 Secret Storage v3).")
        Path keystore;

        @Option(names = "--private-key-file", description = "A file holding the private key as 64 hex digits.")
        Path privateKeyFile;
    }

    @Option(names = "--password-file", description = "With --keystore: the file holding its password.")
    Path passwordFile;

    @Option(names = "--chunk-rows", hidden = true, defaultValue = "1000", description = "Rows per chunk at most.")
    int chunkRows;

    @Option(names = "--stop-after-chunks", hidden = true, defaultValue = "-1",
            description = "Pause after sending this many chunks (resume with another upload).")
    int stopAfter;

    @Override
    public Integer call() throws Exception {
        return WorkspaceOptions.userErrors(() -> {
            try (Workspace ws = nodeOptions.workspace.open(); PrivateKey privateKey = loadKey()) {
                Datanet d = WorkspaceOptions.datanet(ws, datanet);
                HttpRegistryClient registry = nodeOptions.registry();
                RegistryInfo info = registry.info();
                ManifestDomain domain = new ManifestDomain(info.chainId(), info.verifyingContract());
                ContributionUploads uploads = new ContributionUploads(ws, Clock.systemUTC());
                KeyManifestSigner signer = new KeyManifestSigner(privateKey);
                UploadState state = unfinished(uploads, d.id());
                long uploadId;
                if (state == null) {
                    PreparedContribution p = uploads.prepare(d.id(), signer.address(),
                            registryId != null ? registryId : onChainId(ws, d),
                            BigInteger.valueOf(System.currentTimeMillis()), new ChunkLimits(chunkRows, 4L << 20));
                    uploadId = p.uploadId();
                    System.out.println("Contribution " + uploadId + ": " + p.manifest().rowCount() + " rows in "
                            + p.chunks().size() + " chunks, Merkle root " + p.manifest().merkleRoot()
                            + (p.skippedDuplicates() > 0 ? ", " + p.skippedDuplicates() + " duplicate rows left out" : ""));
                } else {
                    uploadId = state.uploadId();
                    System.out.println("Resuming contribution " + uploadId + " (" + state.chunksSent() + " of "
                            + state.chunksTotal() + " chunks sent)");
                }
                if (state == null || state.stage() == UploadState.Stage.PREPARED) {
                    uploads.sign(uploadId, signer, domain);
                    System.out.println("Signed by " + signer.address() + " for chain " + domain.chainId()
                            + ", registry " + domain.verifyingContract());
                }
                AtomicInteger sent = new AtomicInteger();
                UploadState done = uploads.upload(uploadId, registry, (n, total) -> {
                    sent.incrementAndGet();
                    System.out.println("chunk " + n + "/" + total);
                }, () -> stopAfter >= 0 && sent.get() >= stopAfter);
                if (done.stage() == UploadState.Stage.COMPLETE) {
                    System.out.println("Uploaded contribution " + uploadId + ": " + done.rows() + " rows, node upload "
                            + done.remoteId());
                } else {
                    System.out.println("Paused contribution " + uploadId + " after " + done.chunksSent() + " of "
                            + done.chunksTotal() + " chunks; run upload again to resume");
                }
            }
            return 0;
        });
    }

    /**
     * The Datanet's id on the node's chain when it is published there (so the contribution can be submitted), else
     * its workspace id (the registry on the node takes any id).
     */
    private BigInteger onChainId(Workspace ws, Datanet d) {
        ChainInfo chain;
        try {
            chain = nodeOptions.client().chain();
        } catch (RuntimeException e) {
            return BigInteger.valueOf(d.id());
        }
        String registry = chain.contracts().get("DatanetRegistry");
        if (!chain.isReady() || registry == null) {
            return BigInteger.valueOf(d.id());
        }
        return new OnChainRecords(ws, Clock.systemUTC()).datanet(d.id(), new ChainRef(chain.chainId(), registry))
                .map(p -> {
                    System.out.println("Signed for Datanet " + p.onChainId() + " on chain " + chain.chainId());
                    return p.onChainId();
                }).orElse(BigInteger.valueOf(d.id()));
    }

    private static UploadState unfinished(ContributionUploads uploads, long datanetId) {
        for (UploadState s : uploads.history(datanetId)) {
            if (s.stage() == UploadState.Stage.PREPARED || s.stage() == UploadState.Stage.SIGNED
                    || s.stage() == UploadState.Stage.UPLOADING) {
                return s;
            }
        }
        return null;
    }

    private PrivateKey loadKey() throws IOException {
        if (key.privateKeyFile != null) {
            try (Secret hex = Secret.readFile(key.privateKeyFile)) {
                return PrivateKey.parseHex(hex);
            }
        }
        if (passwordFile == null) {
            throw new UserError("--keystore needs --password-file");
        }
        try (Secret password = Secret.readFile(passwordFile)) {
            return new Keystore(ScryptParams.STANDARD, new java.security.SecureRandom()).read(key.keystore, password);
        }
    }
}
