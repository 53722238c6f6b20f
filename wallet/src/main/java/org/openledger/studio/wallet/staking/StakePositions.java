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
 */
public final class StakePositions {

    private static final String STAKED_TOPIC = Numeric.toHexString(Hash.sha3(
            "Staked(address,uint8,bytes32,uint256)".getBytes(StandardCharsets.US_ASCII)));

    private final ChainClient client;
    private final Address vault;

    public StakePositions(ChainClient client, Address vault) {
        this.client = client;
        this.vault = vault;
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

    /** Distinct (kind, target) pairs of the staker's Staked events, keyed by kind + target hex, oldest first. */
    private Map<String, byte[][]> targets(Address staker) {
        EthFilter filter = new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST,
                vault.lowercase());
        filter.addSingleTopic(STAKED_TOPIC);
        filter.addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(staker.lowercase()), 64));
        EthLog response;
        try {
            response = client.web3j().ethGetLogs(filter).send();
        } catch (java.io.IOException e) {
            throw new NodeUnreachableException("The chain node does not answer (eth_getLogs): " + e.getMessage(), e);
        }
        if (response.hasError()) {
            throw new ChainException("eth_getLogs failed: " + response.getError().getMessage());
        }
        Map<String, byte[][]> found = new LinkedHashMap<>();
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
        return found;
    }
}
