package org.openledger.studio.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.openledger.studio.api.BuildInfo;
import org.openledger.studio.api.Wire;
import org.openledger.studio.daemon.Node;
import org.openledger.studio.daemon.NodeConfig;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.store.Folders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code studio daemon}: a headless node. Loads no JavaFX class. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Run a headless node (inference, fine-tuning, Datanet registry, attribution) over HTTP.%n"
                + "Every request but GET /health needs the token: Authorization: Bearer <token>.")
public final class DaemonCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DaemonCommand.class);
    public static final int DEFAULT_PORT = 8765;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}). A non-loopback address needs --token-file.")
    String host;

    @Option(names = "--port", defaultValue = "" + DEFAULT_PORT,
            description = "Port to listen on, 0 for any free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", description = "The node's data folder (default: the OS data folder, then node/).")
    Path dataDir;

    @Option(names = "--token-file", description = "File holding the access token. Without it, on loopback only, a "
            + "token is made once and kept in <data-dir>/token.")
    Path tokenFile;

    @Option(names = "--name", description = "A name for this node (default: the host name).")
    String name;

    @Option(names = "--base-model", description = "A Llama-family model folder in Hugging Face layout (config.json, "
            + "model.safetensors, tokenizer.json) to serve. Without it the node serves the bundled model, extracted "
            + "into <data-dir>/models/.")
    Path baseModel;

    @Option(names = "--no-model", description = "Serve no model at all (not even the bundled one).")
    boolean noModel;

    @Option(names = "--adapters", description = "Folder of LoRA adapters in PEFT format, one per sub-folder "
            + "<adapter-id>/ (default: <data-dir>/adapters). New folders are picked up without a restart.")
    Path adapters;

    @Option(names = "--device", defaultValue = "auto",
            description = "cpu, gpu, gpu:N, or auto (the GPU with most free memory, else the CPU). Default: ${DEFAULT-VALUE}.")
    String device;

    @Option(names = "--max-batch", defaultValue = "8",
            description = "Rows generated together in one forward pass (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-adapters-on-device", defaultValue = "64",
            description = "At most this many adapters uploaded on the device, within --adapter-device-bytes; the "
                    + "least recently used idle one is dropped first (default: ${DEFAULT-VALUE}).")
    int maxAdaptersOnDevice;

    @Option(names = "--adapter-device-bytes", defaultValue = "" + (1L << 30),
            description = "Bytes of adapter weights (float32) kept on the device; an adapter larger than this is "
                    + "refused (default: ${DEFAULT-VALUE}, 1 GiB).")
    long adapterDeviceBytes;

    @Option(names = "--adapter-host-bytes", defaultValue = "" + (4L << 30),
            description = "Bytes of adapter weights kept in host memory below the device (default: ${DEFAULT-VALUE},"
                    + " 4 GiB).")
    long adapterHostBytes;

    @Option(names = "--lora-cost-model", description = "A LoRA path cost model measured on this machine by `studio "
            + "bench lora-paths --write-model FILE`; without it, the built-in one measured on a CPU.")
    Path loraCostModel;

    @Option(names = "--rpc-url", description = "Use this chain's JSON-RPC endpoint (with --chain-id) instead of "
            + "starting the local devnet (anvil, state in <data-dir>/chain, contracts deployed once, faucet).")
    String rpcUrl;

    @Option(names = "--chain-id", description = "The chain id --rpc-url must report (161201 OpenLedger testnet, "
            + "1612 OpenLedger mainnet).")
    Long chainId;

    @picocli.CommandLine.Mixin
    OperatorOptions operator = new OperatorOptions();

    @Option(names = "--registry-chain-id", defaultValue = "" + org.openledger.studio.daemon.registry.RegistryService.DEFAULT_CHAIN_ID,
            description = "Chain id Datanet contributions are signed for (EIP-712 domain; default: ${DEFAULT-VALUE}, "
                    + "the local devnet).")
    long registryChainId;

    @Option(names = "--registry-contract", defaultValue = org.openledger.studio.daemon.registry.RegistryService.NO_CONTRACT,
            description = "The DatanetRegistry contract contributions are signed for (default: the zero address, "
                    + "no on-chain registry).")
    String registryContract;

    @Option(names = "--price-in", defaultValue = "0.01", description = "OPEN charged per 1,000 prompt tokens of an"
            + " attributed inference, unless POST /v1/pricing sets another (default: ${DEFAULT-VALUE}).")
    String priceIn;

    @Option(names = "--price-out", defaultValue = "0.02", description = "OPEN per 1,000 generated tokens (default:"
            + " ${DEFAULT-VALUE}).")
    String priceOut;

    @Option(names = "--platform-fee", defaultValue = "0.001", description = "OPEN per inference for the platform"
            + " (default: ${DEFAULT-VALUE}).")
    String platformFee;

    @Option(names = "--platform-account", description = "Account credited the platform fees (default: none, the"
            + " node keeps them).")
    String platformAccount;

    @Option(names = "--owner-account", description = "Account credited the model owner's part of every model without"
            + " an owner set through POST /v1/pricing (default: none).")
    String ownerAccount;

    @Option(names = "--split-owner", defaultValue = "0.2", description = "Model owner's part of the net fee"
            + " (default: ${DEFAULT-VALUE}).")
    double splitOwner;

    @Option(names = "--split-stakers", defaultValue = "0.3", description = "Stakers' part (default: ${DEFAULT-VALUE}).")
    double splitStakers;

    @Option(names = "--split-contributors", defaultValue = "0.5", description = "Data contributors' part, by"
            + " attributed influence (default: ${DEFAULT-VALUE}). The three parts must sum to 1.")
    double splitContributors;

    @Option(names = "--settle-every", defaultValue = "0", paramLabel = "MINUTES", description = "Settle the reward"
            + " ledger into a new epoch every MINUTES minutes (default: ${DEFAULT-VALUE}, only on request).")
    int settleEvery;

    @Option(names = "--tls", description = "Serve HTTPS with a self-signed certificate made on first start and kept"
            + " in <data-dir>/tls/ (key owner-only); its SHA-256 fingerprint is printed at start and shown by GET"
            + " /health. Clients pin it.")
    boolean tls;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Serve HTTPS with this PEM certificate (with"
            + " --tls-key).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The PEM PKCS#8 private key of --tls-cert"
            + " (BEGIN PRIVATE KEY, unencrypted, in an owner-only file).")
    Path tlsKey;

    @Option(names = "--rate-limit", defaultValue = "100", paramLabel = "PER_SECOND", description = "Requests per"
            + " second one token may send after its burst; beyond, 429 with Retry-After; 0 for no limit; GET /health"
            + " is never limited (default: ${DEFAULT-VALUE}).")
    double rateLimit;

    @Option(names = "--rate-burst", defaultValue = "400", description = "Requests one token may send at once before"
            + " --rate-limit applies (default: ${DEFAULT-VALUE}).")
    int rateBurst;

    @Option(names = "--ready-file", hidden = true,
            description = "Write {url, pid, node_id} here once listening (used by the studio's embedded node).")
    Path readyFile;

    @Option(names = "--exit-with-stdin", hidden = true,
            description = "Shut down when standard input closes (the studio that started this node has gone).")
    boolean exitWithStdin;

    private static org.openledger.studio.wallet.Address account(String text, String option) {
        if (text == null) {
            return null;
        }
        try {
            return org.openledger.studio.wallet.Address.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + " must be an account address: " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        InetAddress address = resolve(host);
        if (maxBatch < 1 || maxAdaptersOnDevice < 1) {
            throw new UserError("--max-batch and --max-adapters-on-device must be at least 1");
        }
        if (adapterDeviceBytes < 1 || adapterHostBytes < 1) {
            throw new UserError("--adapter-device-bytes and --adapter-host-bytes must be at least 1");
        }
        org.openledger.studio.gpu.lora.LoraCostModel loraCosts = org.openledger.studio.gpu.lora.LoraCostModel.cpuDefaults();
        if (loraCostModel != null) {
            try {
                loraCosts = org.openledger.studio.gpu.lora.LoraCostModel.read(loraCostModel);
            } catch (java.io.IOException e) {
                throw new UserError("--lora-cost-model: " + e.getMessage());
            }
        }
        if (port < 0 || port > 65535) {
            throw new UserError("--port must be between 0 and 65535, not " + port);
        }
        if (settleEvery < 0 || settleEvery > 7 * 24 * 60) {
            throw new UserError("--settle-every must be in [0, 10080] minutes, got " + settleEvery);
        }
        // prices and the fee split are checked before anything is started or written
        org.openledger.studio.daemon.attribution.Fees fees;
        org.openledger.studio.daemon.attribution.Fees.Price price;
        try {
            fees = new org.openledger.studio.daemon.attribution.Fees(new org.openledger.studio.daemon.attribution.Fees
                    .Split(splitOwner, splitStakers, splitContributors), account(platformAccount, "--platform-account"));
            price = Pricing.of(priceIn, priceOut, platformFee, account(ownerAccount, "--owner-account"));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (!(rateLimit >= 0) || Double.isInfinite(rateLimit) || rateBurst < 1) {
            throw new UserError("--rate-limit must be 0 (no limit) or a positive number, --rate-burst at least 1");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new UserError("--tls-cert and --tls-key go together: give both, or --tls for a self-signed one");
        }
        if (tls && tlsCert != null) {
            throw new UserError("--tls makes a self-signed certificate; with --tls-cert/--tls-key leave it out");
        }
        // opened first: a wrong password stops the start before anything is loaded
        org.openledger.studio.daemon.chain.OperatorKey operatorKey = operator.open(rpcUrl);
        Path data = dataDir != null ? dataDir.toAbsolutePath() : AppDirs.forCurrentUser().nodeData();
        Folders.ensureWritable(data);
        String token = token(address, data);
        String nodeName = name != null ? name : hostName();
        if (!address.isLoopbackAddress() && !tls && tlsCert == null) {
            System.err.println("studio daemon: warning: listening on " + address.getHostAddress() + " over plain HTTP;"
                    + " the token crosses the network readable: use --tls or --tls-cert/--tls-key");
        }
        NodeConfig config = new NodeConfig(address, port, data, token, nodeName, Duration.ofSeconds(10))
                .withLimits(org.openledger.studio.daemon.http.ServerLimits.defaults().withRate(rateLimit, rateBurst));
        try {
            if (tlsCert != null) {
                config = config.withTls(org.openledger.studio.daemon.tls.NodeCertificate.read(tlsCert, tlsKey));
            } else if (tls) {
                config = config.withTls(org.openledger.studio.daemon.tls.NodeCertificate.selfSigned(
                        data.resolve("tls"), nodeName));
            }
        } catch (org.openledger.studio.daemon.tls.NodeCertificate.TlsException e) {
            throw new UserError(e.getMessage());
        }
        if (noModel && baseModel != null) {
            throw new UserError("--no-model and --base-model contradict each other; give one of them");
        }
        // the registry opens first: fine-tuning jobs train on its Datanets' rows
        org.openledger.studio.daemon.registry.DatanetRegistry registry =
                org.openledger.studio.daemon.registry.RegistryService.open(data,
                        new org.openledger.studio.datanet.contribution.ManifestDomain(registryChainId, registryContract));
        NodeServices services;
        org.openledger.studio.daemon.rewards.RewardLedger.CreditFeed feed =
                org.openledger.studio.daemon.rewards.RewardLedger.CreditFeed.NONE;
        java.util.function.Consumer<org.openledger.studio.daemon.attribution.Attributions.StakeSource> stakes =
                source -> { };
        java.util.function.Consumer<org.openledger.studio.daemon.chain.ChainService> onChain = chain -> { };
        try {
            if (noModel) {
                services = NodeServices.none();
            } else {
                ModelServing.Served served = ModelServing.load(baseModel != null ? baseModel
                                : ModelServing.bundled(data.resolve("models")),
                        adapters != null ? adapters : data.resolve("adapters"), device, maxBatch,
                        new org.openledger.studio.gpu.lora.AdapterStore.Limits(adapterHostBytes, adapterDeviceBytes,
                                maxAdaptersOnDevice), data, registry::trainingRows, registry, fees, price, loraCosts);
                services = served.services();
                feed = Pricing.feed(served.attributions());
                stakes = served.attributions()::stakesFrom;
                var attributions = served.attributions();
                onChain = chain -> {
                    var challenges = new org.openledger.studio.daemon.registry.ChallengedUploads(chain, registry);
                    attributions.excludeChallenged(row -> row.uploadId() != null
                            && challenges.challenged(row.uploadId()));
                };
            }
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        services = org.openledger.studio.app.cli.wallet.NodeChain.attach(services, rpcUrl, chainId, data, feed,
                stakes, settleEvery == 0 ? null : java.time.Duration.ofMinutes(settleEvery), onChain, operatorKey);
        Node node;
        try {
            services = org.openledger.studio.daemon.registry.RegistryService.addTo(services, registry);
            node = Node.start(config, BuildInfo.version(), services);
        } catch (RuntimeException e) {
            ModelServing.closeQuietly(services);
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "node-shutdown"));
        if (readyFile != null) {
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("url", node.url().toString());
            ready.put("pid", ProcessHandle.current().pid());
            ready.put("node_id", node.nodeId());
            if (config.tls() != null) {
                ready.put("tls_sha256", config.tls().pin().fingerprint());
            }
            Folders.writeAtomically(readyFile, Wire.mapper().writeValueAsBytes(ready), true);
        }
        if (exitWithStdin) {
            Thread watcher = new Thread(DaemonCommand::exitWhenStdinCloses, "stdin-watch");
            watcher.setDaemon(true);
            watcher.start();
        }
        System.err.println("studio daemon: node " + node.nodeId() + " listening on " + node.url());
        if (config.tls() != null) {
            System.err.println("studio daemon: TLS certificate SHA-256 " + config.tls().pin().fingerprint()
                    + " (give it to the users of this node: the studio asks them to confirm it)");
        }
        stopped.await();
        return 0;
    }

    private static void exitWhenStdinCloses() {
        try {
            InputStream in = System.in;
            byte[] buf = new byte[256];
            while (in.read(buf) >= 0) {
                // the parent never writes; anything read is ignored
            }
        } catch (IOException ignored) {
            // a broken pipe means the same as EOF: the parent is gone
        }
        log.info("Standard input closed: the studio has gone, shutting down");
        System.exit(0);
    }

    private String token(InetAddress address, Path data) throws IOException {
        if (tokenFile != null) {
            String t;
            try {
                t = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (NoSuchFileException e) {
                throw new UserError("The token file " + tokenFile + " does not exist");
            }
            if (t.isEmpty()) {
                throw new UserError("The token file " + tokenFile + " is empty");
            }
            if (t.length() < 16) {
                throw new UserError("The token in " + tokenFile + " is too short (" + t.length()
                        + " characters); use at least 16 random characters, e.g. `openssl rand -hex 32`");
            }
            return t;
        }
        if (!address.isLoopbackAddress()) {
            throw new UserError("Refusing to listen on " + address.getHostAddress() + " without --token-file: "
                    + "anyone who can reach this address could use the node");
        }
        Path kept = data.resolve("token");
        if (Files.exists(kept)) {
            String t = Files.readString(kept, StandardCharsets.UTF_8).strip();
            if (!t.isEmpty()) {
                System.err.println("studio daemon: token in " + kept);
                return t;
            }
        }
        String t = newToken();
        Folders.writeAtomically(kept, t.getBytes(StandardCharsets.UTF_8), true);
        System.err.println("studio daemon: made a token, kept in " + kept);
        return t;
    }

    /** 32 random bytes as hex. */
    public static String newToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new UserError("--host " + host + " is not an address of this machine");
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "node";
        }
    }
}
