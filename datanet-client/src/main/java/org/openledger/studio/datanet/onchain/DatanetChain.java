package org.openledger.studio.datanet.onchain;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openledger.studio.contracts.generated.DatanetRegistry;
import org.openledger.studio.contracts.generated.OpenToken;
import org.openledger.studio.datanet.contribution.ContributionManifest;
import org.openledger.studio.datanet.contribution.ContributionUploads;
import org.openledger.studio.datanet.contribution.UploadException;
import org.openledger.studio.datanet.contribution.UploadState;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.Workspace;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.chain.ChainClient;
import org.openledger.studio.wallet.chain.Outbox;
import org.openledger.studio.wallet.chain.TransactionRevertedException;
import org.web3j.abi.EventEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.utils.Numeric;

/**
 * The on-chain step of a contribution, for every front end: what to send (checked first, so nothing is signed that
 * must fail or repeat) and what to record once it is broadcast and mined. Sending itself stays with the caller's
 * reviewed flow (print-then-{@code --yes} in the CLI, review-sign-broadcast in the studio), which is the same one
 * staking uses.
 *
 * <p>A local Datanet becomes an on-chain one with {@code DatanetRegistry.createDatanet(keccak(metadata))}; the id the
 * {@code DatanetCreated} event names is kept per chain and registry. A contribution is then registered with
 * {@code contribute(datanetId, manifestRoot, rowCount, stake)}, where the root is the uploaded manifest's Merkle
 * root; a stake is taken by the {@code StakingVault}, which the contributor approves first.
 */
public final class DatanetChain {

    /** One transaction to review and send: a contract call without value. */
    public record Call(String description, Address to, byte[] data) {
    }

    /**
     * A checked submission: the calls in order (an approval when the stake needs one, then {@code contribute}).
     */
    public record Submission(long uploadId, BigInteger onChainDatanetId, String manifestRoot, int rowCount,
                             BigInteger stake, List<Call> calls) {
        public Call contribute() {
            return calls.get(calls.size() - 1);
        }
    }

    private final Workspace workspace;
    private final ContributionUploads uploads;
    private final OnChainRecords records;
    private final ChainClient client;
    private final ChainRef chain;
    private final Address registry;
    private final Address token;
    private final Address vault;

    /**
     * @param contracts the chain's contract addresses by name, as a node publishes them ({@code GET /v1/chain})
     * @throws UploadException when the chain has no {@code DatanetRegistry}
     */
    public DatanetChain(Workspace workspace, ChainClient client, Map<String, String> contracts, Clock clock) {
        String r = contracts.get("DatanetRegistry");
        if (r == null || contracts.get("OpenToken") == null || contracts.get("StakingVault") == null) {
            throw new UploadException("This chain has no DatanetRegistry, OpenToken and StakingVault the node knows "
                    + "of; use a node on a chain with the OpenLedger contracts");
        }
        this.workspace = workspace;
        this.uploads = new ContributionUploads(workspace, clock);
        this.records = new OnChainRecords(workspace, clock);
        this.client = client;
        this.chain = new ChainRef(client.expectedChainId(), r);
        this.registry = Address.parse(r);
        this.token = Address.parse(contracts.get("OpenToken"));
        this.vault = Address.parse(contracts.get("StakingVault"));
    }

    public ChainRef chain() {
        return chain;
    }

    public OnChainRecords records() {
        return records;
    }

    /** The Datanet's id on this chain, when it is published. */
    public Optional<OnChainDatanet> published(long datanetId) {
        return records.datanet(datanetId, chain);
    }

    /** The {@code createDatanet} call for a Datanet not yet on this chain. */
    public Call publish(long datanetId) {
        Datanet d = workspace.datanets().get(datanetId);
        published(datanetId).ifPresent(p -> {
            throw new UploadException("\"" + d.name() + "\" is already Datanet " + p.onChainId() + " on chain "
                    + chain.chainId() + " (published in block " + p.block() + ")");
        });
        return new Call("publish Datanet \"" + d.name() + "\" (metadata " + DatanetMetadata.hashHex(d) + ")",
                registry, encode(registry(registry).createDatanet(DatanetMetadata.hash(d))));
    }

    /** Keeps the id the mined {@code createDatanet} gave the Datanet. */
    public OnChainDatanet recordPublished(long datanetId, TransactionReceipt receipt) {
        var events = DatanetRegistry.getDatanetCreatedEvents(receipt).stream()
                .filter(e -> registry.lowercase().equalsIgnoreCase(e.log.getAddress())).toList();
        if (events.isEmpty()) {
            throw new UploadException("Transaction " + receipt.getTransactionHash() + " created no Datanet");
        }
        var e = events.get(0);
        OnChainDatanet d = new OnChainDatanet(datanetId, chain, e.datanetId,
                "0x" + HexFormat.of().formatHex(e.metadataHash), receipt.getTransactionHash(),
                receipt.getBlockNumber().longValueExact());
        records.recordDatanet(d);
        return d;
    }

    /**
     * Checks that the contribution can be submitted by {@code from} with {@code stake} and returns the calls.
     *
     * @throws UploadException naming what is wrong: not uploaded, already submitted (in the workspace or on chain),
     *                         the Datanet not published, signed for another Datanet or account, stake above balance
     */
    public Submission submission(long uploadId, Address from, BigInteger stake) {
        if (stake.signum() < 0) {
            throw new UploadException("The stake cannot be negative");
        }
        UploadState state = uploads.state(uploadId);
        if (state.stage() != UploadState.Stage.COMPLETE) {
            throw new UploadException("Contribution " + uploadId + " is " + state.stage().name().toLowerCase()
                    + ", not uploaded: finish the upload to the node first, then submit it");
        }
        refresh(state.datanetId(), false);
        OnChainStatus now = records.status(uploadId);
        if (now.submitted()) {
            throw new UploadException("Contribution " + uploadId + " is already submitted: " + now.describe()
                    + "; it is not sent twice");
        }
        Datanet d = workspace.datanets().get(state.datanetId());
        OnChainDatanet onChain = published(d.id()).orElseThrow(() -> new UploadException("Datanet \"" + d.name()
                + "\" is not on chain " + chain.chainId() + " yet: publish it first (`studio datanet publish "
                + d.name() + "` or Publish on chain in the studio)"));
        ContributionManifest m = uploads.manifest(uploadId);
        if (!m.datanetId().equals(onChain.onChainId())) {
            throw new UploadException("Contribution " + uploadId + " was signed for Datanet id " + m.datanetId()
                    + ", but \"" + d.name() + "\" is Datanet " + onChain.onChainId() + " on this chain: only "
                    + "contributions uploaded after publishing can be submitted");
        }
        if (!m.contributor().equalsIgnoreCase(from.toString())) {
            throw new UploadException("Contribution " + uploadId + " is signed by " + m.contributor()
                    + "; submit it from that account, not " + from);
        }
        byte[] root = Numeric.hexStringToByteArray(m.merkleRoot());
        DatanetRegistry reg = registry(from);
        BigInteger existing = read(reg.contributionByRoot(onChain.onChainId(), root), "the registry");
        if (existing.signum() != 0) {
            throw new UploadException("Merkle root " + m.merkleRoot() + " is already contribution " + existing
                    + " of Datanet " + onChain.onChainId() + " on chain; it is not sent twice");
        }
        List<Call> calls = new ArrayList<>();
        if (stake.signum() > 0) {
            OpenToken open = OpenToken.load(token.lowercase(), client.web3j(),
                    new ReadonlyTransactionManager(client.web3j(), from.lowercase()), new DefaultGasProvider());
            BigInteger balance = read(open.balanceOf(from.lowercase()), "the OPEN balance");
            if (balance.compareTo(stake) < 0) {
                throw new UploadException("The stake of " + units(stake) + " OPEN is more than the " + units(balance)
                        + " OPEN " + from + " holds");
            }
            BigInteger allowance = read(open.allowance(from.lowercase(), vault.lowercase()), "the allowance");
            if (allowance.compareTo(stake) < 0) {
                calls.add(new Call("approve the StakingVault to take " + units(stake) + " OPEN", token,
                        encode(open.approve(vault.lowercase(), stake))));
            }
        }
        calls.add(new Call("contribute " + m.rowCount() + " rows (root " + m.merkleRoot() + ") to Datanet "
                + onChain.onChainId() + (stake.signum() > 0 ? " with a stake of " + units(stake) + " OPEN" : ""),
                registry, encode(reg.contribute(onChain.onChainId(), root, BigInteger.valueOf(m.rowCount()), stake))));
        return new Submission(uploadId, onChain.onChainId(), m.merkleRoot(), m.rowCount(), stake, List.copyOf(calls));
    }

    /** Records the broadcast {@code contribute} transaction: the contribution is pending from now on. */
    public void recordBroadcast(Submission s, String txHash) {
        records.markPending(s.uploadId(), chain, s.onChainDatanetId(), s.stake(), txHash);
    }

    /**
     * Waits for the {@code contribute} transaction through {@code outbox} and records its outcome: confirmed in its
     * block, or reverted with the decoded reason (rethrown).
     */
    public TransactionReceipt settle(long uploadId, Outbox outbox, String txHash, Duration timeout) {
        TransactionReceipt receipt = client.awaitReceipt(txHash, timeout);
        try {
            outbox.settle(txHash, timeout);
        } catch (TransactionRevertedException e) {
            records.markReverted(uploadId, receipt.getBlockNumber().longValueExact(), client.revertReason(receipt));
            throw e;
        }
        recordMined(uploadId, receipt);
        return receipt;
    }

    private OnChainStatus recordMined(long uploadId, TransactionReceipt receipt) {
        var events = DatanetRegistry.getContributedEvents(receipt).stream()
                .filter(e -> registry.lowercase().equalsIgnoreCase(e.log.getAddress())).toList();
        if (events.isEmpty()) {
            throw new UploadException("Transaction " + receipt.getTransactionHash() + " registered no contribution");
        }
        records.markConfirmed(uploadId, receipt.getBlockNumber().longValueExact(), events.get(0).contributionId);
        return records.status(uploadId);
    }

    /**
     * Brings the Datanet's submitted contributions up to date with the chain: pending ones that were mined (while
     * the studio was closed, say) become confirmed or reverted; confirmed ones someone challenged become challenged.
     *
     * @return the statuses by upload id
     */
    public Map<Long, OnChainStatus> refresh(long datanetId) {
        return refresh(datanetId, true);
    }

    /** As {@link #refresh(long)}; challenges (a log query some RPCs limit) only when asked. */
    private Map<Long, OnChainStatus> refresh(long datanetId, boolean challenges) {
        for (OnChainStatus s : records.statuses(datanetId).values()) {
            if (!s.chain().equals(chain)) {
                continue;
            }
            if (s.stage() == OnChainStatus.Stage.PENDING) {
                client.receipt(s.txHash()).ifPresent(r -> {
                    if (r.isStatusOK()) {
                        recordMined(s.uploadId(), r);
                    } else {
                        records.markReverted(s.uploadId(), r.getBlockNumber().longValueExact(), client.revertReason(r));
                    }
                });
            } else if (challenges && s.stage() == OnChainStatus.Stage.CONFIRMED && challenged(s.contributionId())) {
                records.markChallenged(s.uploadId());
            }
        }
        return records.statuses(datanetId);
    }

    private boolean challenged(BigInteger contributionId) {
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST,
                registry.lowercase());
        filter.addSingleTopic(EventEncoder.encode(DatanetRegistry.CHALLENGED_EVENT));
        filter.addNullTopic();
        filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(contributionId, 64));
        try {
            var logs = client.web3j().ethGetLogs(filter).send();
            if (logs.hasError()) {
                throw new UploadException("Cannot read challenges from the chain: " + logs.getError().getMessage());
            }
            return !logs.getLogs().isEmpty();
        } catch (java.io.IOException e) {
            throw new UploadException("Cannot read challenges from the chain: " + e.getMessage());
        }
    }

    private DatanetRegistry registry(Address from) {
        return DatanetRegistry.load(registry.lowercase(), client.web3j(),
                new ReadonlyTransactionManager(client.web3j(), from.lowercase()), new DefaultGasProvider());
    }

    private static byte[] encode(RemoteFunctionCall<?> call) {
        return Numeric.hexStringToByteArray(call.encodeFunctionCall());
    }

    private static <T> T read(RemoteFunctionCall<T> call, String what) {
        try {
            return call.send();
        } catch (Exception e) {
            throw new UploadException("Cannot read " + what + " from the chain: " + e.getMessage());
        }
    }

    /** An 18-decimal amount as a plain decimal. */
    public static String units(BigInteger wei) {
        return org.openledger.studio.wallet.Open.ofWei(wei).toOpenString();
    }
}
