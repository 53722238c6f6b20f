package org.openledger.studio.wallet.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.openledger.studio.contracts.generated.DatanetRegistry;
import org.openledger.studio.contracts.generated.ModelRegistry;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.chain.ChainClient;
import org.openledger.studio.wallet.chain.Outbox;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * Publishing a fine-tuned LoRA adapter to {@code ModelRegistry}, for every front end: its content hash, the checked
 * {@code publishAdapter(contentHash, baseModel, datanetIds)} call to review and send, and the on-chain adapter id read
 * back from the mined {@code AdapterPublished} event. Sending stays with the caller's reviewed flow (print, then
 * {@code --yes} in the CLI; the wallet's {@code ReviewedCalls} review, sign and broadcast in the studio).
 *
 * <h2>Content hash</h2>
 * The adapter's identity on chain is computed from its two PEFT files, {@value #CONFIG_FILE} and
 * {@value #WEIGHTS_FILE} (other files in the folder, such as a README, are not part of it):
 * <pre>
 * contentHash = keccak256( for each file, in that order (sorted by name):
 *                            utf8(name) ‖ 0x00 ‖ sha256(file bytes) )     (32-byte digests, raw)
 * </pre>
 * So anyone can recompute it from a pulled folder, or from a node's file listing ({@code GET /v1/adapters/{id}}
 * gives each file's SHA-256) without downloading the weights. With foundry's {@code cast}, in the folder:
 * <pre>
 * cast keccak 0x$(for f in adapter_config.json adapter_model.safetensors; do
 *   printf '%s\0' "$f" | xxd -p; sha256sum "$f" | cut -c1-64; done | tr -d '\n')
 * </pre>
 *
 * <h2>Repeats</h2>
 * The contract keeps {@code adapterByHash} and reverts {@code AlreadyPublished(contentHash, adapterId)} on a second
 * publication of the same content hash (by anyone); {@link #request} reads it first and refuses before anything is
 * signed, naming the adapter id it already has. Unknown Datanet ids (the contract reverts {@code UnknownDatanet}) are
 * refused the same way.
 */
public final class AdapterPublication {

    /** The contract's name, as a node publishes it and as reviews label it. */
    public static final String CONTRACT = "ModelRegistry";
    public static final String CONFIG_FILE = "adapter_config.json";
    public static final String WEIGHTS_FILE = "adapter_model.safetensors";
    /** The files the content hash covers, in the order they are hashed (sorted by name). */
    public static final List<String> HASHED_FILES = List.of(CONFIG_FILE, WEIGHTS_FILE);

    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,78}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

    /** One transaction to review and send: a contract call without value. */
    public record Call(String description, Address to, byte[] data) {
    }

    /** A checked publication: what it publishes and the {@code publishAdapter} call that does it. */
    public record Request(byte[] contentHash, String baseModel, List<BigInteger> datanetIds, Call call) {
        public String contentHashHex() {
            return hex(contentHash);
        }
    }

    /** An adapter as the registry keeps it. */
    public record OnChainAdapter(BigInteger adapterId, Address owner, byte[] contentHash, String baseModel,
                                 List<BigInteger> datanetIds, Instant publishedAt) {
        public String contentHashHex() {
            return hex(contentHash);
        }
    }

    /** What a mined {@code publishAdapter} did: the id, as the {@code AdapterPublished} event names it. */
    public record Published(BigInteger adapterId, Address owner, byte[] contentHash, String baseModel,
                            List<BigInteger> datanetIds, String txHash, long block) {
        public String contentHashHex() {
            return hex(contentHash);
        }
    }

    private final ChainClient client;
    private final Address registry;
    private final Address datanets;

    /**
     * @param contracts the chain's contract addresses by name, as a node publishes them ({@code GET /v1/chain})
     * @throws PublicationRefusedException when the chain has no {@code ModelRegistry} or {@code DatanetRegistry}
     */
    public AdapterPublication(ChainClient client, Map<String, String> contracts) {
        String r = contracts.get(CONTRACT);
        String d = contracts.get("DatanetRegistry");
        if (r == null || d == null) {
            throw new PublicationRefusedException("This chain has no ModelRegistry and DatanetRegistry the node knows "
                    + "of; use a node on a chain with the OpenLedger contracts");
        }
        this.client = client;
        this.registry = Address.parse(r);
        this.datanets = Address.parse(d);
    }

    public Address registry() {
        return registry;
    }

    // ---- content hash -------------------------------------------------------------------------------------------

    /**
     * The content hash of the PEFT adapter in {@code dir} (see the class comment).
     *
     * @throws PublicationRefusedException when {@value #CONFIG_FILE} or {@value #WEIGHTS_FILE} is missing or
     *                                     unreadable
     */
    public static byte[] contentHash(Path dir) {
        Map<String, byte[]> digests = new TreeMap<>();
        for (String name : HASHED_FILES) {
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new PublicationRefusedException(dir + " has no " + name + ": a PEFT adapter folder holds "
                        + CONFIG_FILE + " and " + WEIGHTS_FILE);
            }
            MessageDigest md = sha256();
            try (InputStream in = Files.newInputStream(f)) {
                byte[] buf = new byte[1 << 16];
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    md.update(buf, 0, n);
                }
            } catch (IOException e) {
                throw new PublicationRefusedException("Cannot read " + f + ": " + e.getMessage(), e);
            }
            digests.put(name, md.digest());
        }
        return contentHash(digests);
    }

    /**
     * The content hash from each file's SHA-256 in hex, as a node lists them ({@code GET /v1/adapters/{id}});
     * files other than {@link #HASHED_FILES} are ignored.
     */
    public static byte[] contentHashFromListing(Map<String, String> sha256HexByName) {
        Map<String, byte[]> digests = new TreeMap<>();
        for (String name : HASHED_FILES) {
            String sha = sha256HexByName.get(name);
            if (sha == null || !SHA256.matcher(sha).matches()) {
                throw new PublicationRefusedException("The adapter lists no SHA-256 for " + name);
            }
            digests.put(name, HexFormat.of().parseHex(sha));
        }
        return contentHash(digests);
    }

    private static byte[] contentHash(Map<String, byte[]> sortedDigests) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        sortedDigests.forEach((name, digest) -> {
            b.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            b.write(0);
            b.writeBytes(digest);
        });
        return Hash.sha3(b.toByteArray());
    }

    /** {@code adapter_config.json}'s {@code base_model_name_or_path}, when it names one. */
    public static Optional<String> baseModel(Path dir) {
        Path f = dir.resolve(CONFIG_FILE);
        try {
            JsonNode n = new ObjectMapper().readTree(f.toFile());
            JsonNode b = n == null ? null : n.get("base_model_name_or_path");
            return b != null && b.isTextual() && !b.asText().isBlank() ? Optional.of(b.asText().trim())
                    : Optional.empty();
        } catch (IOException e) {
            throw new PublicationRefusedException("Cannot read " + f + " as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Datanet ids as the registry numbers them: a node's Datanet ids (a job's {@code datanets}) are on-chain ids
     * once the Datanet is published (contributions are signed for the on-chain id), so they must be decimal numbers.
     *
     * @throws PublicationRefusedException naming the first id that is not one
     */
    public static List<BigInteger> datanetIds(List<String> ids) {
        List<BigInteger> out = new ArrayList<>();
        for (String id : ids == null ? List.<String>of() : ids) {
            String t = id == null ? "" : id.trim();
            if (!DECIMAL.matcher(t).matches() || new BigInteger(t).signum() == 0
                    || new BigInteger(t).bitLength() > 256) {
                throw new PublicationRefusedException("Datanet id '" + id + "' is not an on-chain Datanet id (a "
                        + "positive whole number, as DatanetRegistry numbers them)");
            }
            BigInteger v = new BigInteger(t);
            if (out.contains(v)) {
                throw new PublicationRefusedException("Datanet " + v + " is named twice");
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    // ---- on chain -----------------------------------------------------------------------------------------------

    /** The adapter id this content hash already has on chain, if it is published. */
    public Optional<BigInteger> publishedAs(byte[] contentHash) {
        BigInteger id = read(models(registry).adapterByHash(contentHash), "the ModelRegistry");
        return id.signum() == 0 ? Optional.empty() : Optional.of(id);
    }

    /**
     * Checks a publication by {@code from} and returns the {@code publishAdapter} call to review and send.
     *
     * @throws PublicationRefusedException naming what is wrong: an empty hash or base model, the content hash
     *                                     already published (with its adapter id), a Datanet id the registry does not
     *                                     know
     */
    public Request request(Address from, byte[] contentHash, String baseModel, List<BigInteger> datanetIds) {
        if (contentHash == null || contentHash.length != 32 || new BigInteger(1, contentHash).signum() == 0) {
            throw new PublicationRefusedException("The content hash must be 32 bytes and not zero");
        }
        if (baseModel == null || baseModel.isBlank()) {
            throw new PublicationRefusedException("The base model is not known: name it (the job's model, or "
                    + CONFIG_FILE + "'s base_model_name_or_path)");
        }
        List<BigInteger> ids = List.copyOf(datanetIds);
        publishedAs(contentHash).ifPresent(id -> {
            throw new PublicationRefusedException("Content hash " + hex(contentHash) + " is already adapter " + id
                    + " in the ModelRegistry; an adapter is published once");
        });
        DatanetRegistry dr = DatanetRegistry.load(datanets.lowercase(), client.web3j(),
                new ReadonlyTransactionManager(client.web3j(), from.lowercase()), new DefaultGasProvider());
        for (BigInteger id : ids) {
            if (!read(dr.exists(id), "the DatanetRegistry")) {
                throw new PublicationRefusedException("Datanet " + id + " is not in the DatanetRegistry on chain "
                        + client.expectedChainId() + ": publish it first (`studio datanet publish`)");
            }
        }
        ModelRegistry mr = models(from);
        String description = "publish adapter " + hex(contentHash) + " (base model \"" + baseModel + "\", "
                + (ids.isEmpty() ? "no Datanets" : "Datanets " + join(ids)) + ")";
        byte[] data = Numeric.hexStringToByteArray(mr.publishAdapter(contentHash, baseModel, ids)
                .encodeFunctionCall());
        return new Request(contentHash.clone(), baseModel, ids, new Call(description, registry, data));
    }

    /**
     * The adapter a mined {@code publishAdapter} published, from its {@code AdapterPublished} event.
     *
     * @throws PublicationRefusedException when the receipt has no such event from this registry
     */
    public Published published(TransactionReceipt receipt) {
        var events = ModelRegistry.getAdapterPublishedEvents(receipt).stream()
                .filter(e -> registry.lowercase().equalsIgnoreCase(e.log.getAddress())).toList();
        if (events.isEmpty()) {
            throw new PublicationRefusedException("Transaction " + receipt.getTransactionHash()
                    + " published no adapter");
        }
        var e = events.get(0);
        return new Published(e.adapterId, Address.parse(e.owner), e.contentHash, e.baseModel,
                List.copyOf(e.datanetIds), receipt.getTransactionHash(), receipt.getBlockNumber().longValueExact());
    }

    /**
     * Waits for a broadcast {@code publishAdapter} through {@code outbox} (recorded in its nonce book; a revert is
     * rethrown with its decoded reason) and reads the adapter id from the receipt.
     */
    public Published settle(Outbox outbox, String txHash, Duration timeout) {
        return published(outbox.settle(txHash, timeout));
    }

    /**
     * As {@link #settle(Outbox, String, Duration)}, shaped for a settle callback that must return the receipt (the
     * studio's {@code ReviewedCalls.Settle}): {@code published} gets the adapter before the receipt is returned.
     */
    public TransactionReceipt settle(Outbox outbox, String txHash, Duration timeout,
                                     java.util.function.Consumer<Published> published) {
        TransactionReceipt receipt = outbox.settle(txHash, timeout);
        published.accept(published(receipt));
        return receipt;
    }

    /** Reads {@code getAdapter(adapterId)}. */
    public OnChainAdapter adapter(BigInteger adapterId) {
        ModelRegistry.Adapter a = read(models(registry).getAdapter(adapterId), "adapter " + adapterId);
        return new OnChainAdapter(adapterId, Address.parse(a.owner), a.contentHash, a.baseModel,
                List.copyOf(a.datanetIds), Instant.ofEpochSecond(a.publishedAt.longValueExact()));
    }

    private ModelRegistry models(Address from) {
        return ModelRegistry.load(registry.lowercase(), client.web3j(),
                new ReadonlyTransactionManager(client.web3j(), from.lowercase()), new DefaultGasProvider());
    }

    private static <T> T read(RemoteFunctionCall<T> call, String what) {
        try {
            return call.send();
        } catch (Exception e) {
            throw new PublicationRefusedException("Cannot read " + what + " from the chain: " + e.getMessage(), e);
        }
    }

    private static String join(List<BigInteger> ids) {
        return String.join(", ", ids.stream().map(BigInteger::toString).toList());
    }

    /** 0x-prefixed lowercase hex. */
    public static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }
}
