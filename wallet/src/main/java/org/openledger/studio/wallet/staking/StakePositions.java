package org.openledger.studio.wallet.staking;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.chain.ChainClient;
import org.openledger.studio.wallet.chain.ChainException;
import org.openledger.studio.wallet.chain.NodeUnreachableException;
import org.openledger.studio.wallet.devnet.Economy;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.utils.Numeric;

/**
 * Every position of one staker in a {@code StakingVault}. The vault keeps positions in a mapping it cannot enumerate,
 * so the targets are found from the staker's own {@code Staked} events (the staker is an indexed topic: the node
 * filters, nothing else is downloaded) and each is then read with {@code stakeOf}, which is the truth: events only
 * say where to look.
 *
 * <p>On a long public chain the events are read in windows of blocks (public RPCs refuse {@code eth_getLogs} over
 * wide ranges: a refused window is halved and asked again), and what was read is remembered per staker, so the next
 * refresh reads only the blocks mined since (and the last {@value #REORG_MARGIN} again, in case of a reorganisation).
 * Keep one instance per chain connection.
 */
public final class StakePositions {

    /** Blocks per {@code eth_getLogs} call at first; halved while the node refuses the range. */
    public static final long DEFAULT_WINDOW = 50_000;

    /** Recent blocks read again on every refresh, so a stake in a block replaced by a reorganisation is not missed. */
    static final long REORG_MARGIN = 64;

    private static final String STAKED_TOPIC = Numeric.toHexString(Hash.sha3(
            "Staked(address,uint8,bytes32,uint256)".getBytes(StandardCharsets.US_ASCII)));

    private final ChainClient client;
    private final Address vault;
    private final long firstBlock;
    private long window;
    private final Map<Address, Scan> scans = new java.util.HashMap<>();

    /** Targets found in blocks up to {@code through}, oldest first. */
    private record Scan(long through, Map<String, byte[][]> targets) {
    }

    public StakePositions(ChainClient client, Address vault) {
        this(client, vault, 0, DEFAULT_WINDOW);
    }

    /** Reads events from {@code firstBlock} (e.g. the vault's deployment block), {@code window} blocks at a time. */
    public StakePositions(ChainClient client, Address vault, long firstBlock, long window) {
        if (firstBlock < 0 || window < 1) {
            throw new IllegalArgumentException("first block >= 0 and a window of at least one block");
        }
        this.client = client;
        this.vault = vault;
        this.firstBlock = firstBlock;
        this.window = window;
    }

    /** The staker's positions that still hold OPEN (active or unbonding), in the order they were first staked. */
    public List<StakePosition> of(Address staker) {
        List<StakePosition> out = new ArrayList<>();
        for (Map.Entry<String, byte[][]> t : targets(staker).entrySet()) {
            Economy.TargetKind kind = Economy.TargetKind.values()[t.getValue()[0][0]];
            StakePosition p = read(staker, kind, t.getValue()[1]);
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return out;
    }

    /** One position, straight from {@code stakeOf}. */
    @SuppressWarnings("rawtypes")
    public StakePosition read(Address staker, Economy.TargetKind kind, byte[] target) {
        Function f = new Function("stakeOf", List.of(new org.web3j.abi.datatypes.Address(staker.lowercase()),
                new Uint8(kind.ordinal()), new Bytes32(target)), List.of(new TypeReference<Uint256>() { },
                new TypeReference<Uint256>() { }, new TypeReference<Uint64>() { }));
        byte[] output = client.call(staker, vault, Numeric.hexStringToByteArray(FunctionEncoder.encode(f)),
                DefaultBlockParameterName.LATEST);
        List<Type> values = FunctionReturnDecoder.decode(Numeric.toHexString(output), f.getOutputParameters());
        if (values.size() != 3) {
            throw new ChainException("The staking vault at " + vault + " answered stakeOf with " + output.length
                    + " bytes: is it a StakingVault?");
        }
        return new StakePosition(kind, target, (BigInteger) values.get(0).getValue(),
                (BigInteger) values.get(1).getValue(),
                Instant.ofEpochSecond(((BigInteger) values.get(2).getValue()).longValueExact()));
    }

    /**
     * Distinct (kind, target) pairs of the staker's Staked events, keyed by kind + target hex, oldest first: those
     * remembered, plus those in the blocks mined since the last read.
     */
    private synchronized Map<String, byte[][]> targets(Address staker) {
        long latest = latestBlock();
        Scan known = scans.get(staker);
        Map<String, byte[][]> found = new LinkedHashMap<>(known == null ? Map.of() : known.targets());
        long from = known == null ? firstBlock : Math.max(firstBlock, known.through() + 1 - REORG_MARGIN);
        while (from <= latest) {
            long to = Math.min(latest, from + window - 1);
            EthLog response = logs(staker, from, to);
            if (response.hasError()) {
                if (to > from && rangeRefused(response.getError().getMessage())) {
                    window = Math.max(1, (to - from + 1) / 2);
                    continue;
                }
                throw new ChainException("eth_getLogs failed: " + response.getError().getMessage());
            }
            collect(response, found);
            from = to + 1;
        }
        scans.put(staker, new Scan(latest, found));
        return found;
    }

    private EthLog logs(Address staker, long from, long to) {
        return logs(from, to, Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(staker.lowercase()), 64), null,
                null);
    }

    /** Staked events in [from, to] matching the given topics (null: any). */
    private EthLog logs(long from, long to, String staker, String kind, String target) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), vault.lowercase());
        filter.addSingleTopic(STAKED_TOPIC);
        if (staker == null) {
            filter.addNullTopic();
        } else {
            filter.addSingleTopic(staker);
        }
        if (kind != null) {
            filter.addSingleTopic(kind);
            filter.addSingleTopic(target);
        }
        try {
            return client.web3j().ethGetLogs(filter).send();
        } catch (java.io.IOException e) {
            throw new NodeUnreachableException("The chain node does not answer (eth_getLogs): " + e.getMessage(), e);
        }
    }

    /**
     * Every staker with OPEN actively staked behind one target, and how much (from {@code stakeOf}; the target's
     * Staked events only say who to ask). Reads the events from the first block on each call, in windows.
     */
    public Map<Address, BigInteger> stakersOf(Economy.TargetKind kind, byte[] target) {
        String kindTopic = Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(kind.ordinal()), 64);
        String targetTopic = Numeric.toHexString(target);
        java.util.Set<Address> stakers = new java.util.LinkedHashSet<>();
        long latest = latestBlock();
        long from = firstBlock;
        while (from <= latest) {
            long to = Math.min(latest, from + window - 1);
            EthLog response = logs(from, to, null, kindTopic, targetTopic);
            if (response.hasError()) {
                if (to > from && rangeRefused(response.getError().getMessage())) {
                    window = Math.max(1, (to - from + 1) / 2);
                    continue;
                }
                throw new ChainException("eth_getLogs failed: " + response.getError().getMessage());
            }
            for (EthLog.LogResult<?> r : response.getLogs()) {
                List<String> topics = ((Log) r.get()).getTopics();
                if (topics.size() >= 2) {
                    stakers.add(Address.parse("0x" + topics.get(1).substring(topics.get(1).length() - 40)));
                }
            }
            from = to + 1;
        }
        Map<Address, BigInteger> out = new LinkedHashMap<>();
        for (Address s : stakers) {
            BigInteger active = read(s, kind, target).active();
            if (active.signum() > 0) {
                out.put(s, active);
            }
        }
        return out;
    }

    private long latestBlock() {
        try {
            var r = client.web3j().ethBlockNumber().send();
            if (r.hasError()) {
                throw new ChainException("eth_blockNumber failed: " + r.getError().getMessage());
            }
            return r.getBlockNumber().longValueExact();
        } catch (java.io.IOException e) {
            throw new NodeUnreachableException("The chain node does not answer (eth_blockNumber): " + e.getMessage(),
                    e);
        }
    }

    /** How public RPCs word a refused block range or result size (geth, Erigon, Alchemy, Infura, QuickNode...). */
    static boolean rangeRefused(String message) {
        String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("range") || m.contains("too many") || m.contains("limit") || m.contains("exceed")
                || m.contains("too large") || m.contains("10000 results");
    }

    private static void collect(EthLog response, Map<String, byte[][]> found) {
        for (EthLog.LogResult<?> r : response.getLogs()) {
            Log log = (Log) r.get();
            List<String> topics = log.getTopics();
            if (topics.size() < 4) {
                continue;
            }
            int kind = Numeric.toBigInt(topics.get(2)).intValueExact();
            byte[] target = Numeric.hexStringToByteArray(topics.get(3));
            if (kind < Economy.TargetKind.values().length && target.length == 32) {
                found.putIfAbsent(kind + ":" + topics.get(3), new byte[][] {{(byte) kind}, Arrays.copyOf(target, 32)});
            }
        }
    }
}
