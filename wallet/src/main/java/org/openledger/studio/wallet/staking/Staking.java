package org.openledger.studio.wallet.staking;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.chain.ChainClient;
import org.openledger.studio.wallet.chain.ChainException;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Numeric;

/**
 * The calls that stake, unstake and withdraw OPEN in a {@code StakingVault}, built and checked in one place for the
 * studio and the CLI: staking approves the vault first only when the owner's allowance does not cover the amount
 * (a second stake within an earlier approval is one transaction, not two).
 */
public final class Staking {

    /** What a call does. */
    public enum Step { APPROVE, STAKE, REQUEST_UNSTAKE, WITHDRAW }

    /** One transaction to review, sign and send: to whom, and its call data. */
    public record Call(Step step, Address to, byte[] data) {
    }

    private Staking() {
    }

    /** The OPEN {@code owner} lets {@code vault} take ({@code allowance(owner, vault)} on the token), in wei. */
    @SuppressWarnings("rawtypes")
    public static BigInteger allowance(ChainClient client, Address token, Address owner, Address vault) {
        Function f = new Function("allowance", List.of(new org.web3j.abi.datatypes.Address(owner.lowercase()),
                new org.web3j.abi.datatypes.Address(vault.lowercase())), List.of(new TypeReference<Uint256>() { }));
        byte[] out = client.call(owner, token, Numeric.hexStringToByteArray(FunctionEncoder.encode(f)),
                DefaultBlockParameterName.LATEST);
        List<Type> values = FunctionReturnDecoder.decode(Numeric.toHexString(out), f.getOutputParameters());
        if (values.size() != 1) {
            throw new ChainException("The token at " + token + " answered allowance with " + out.length
                    + " bytes: is it an ERC-20?");
        }
        return (BigInteger) values.get(0).getValue();
    }

    /**
     * Staking {@code amount} wei behind (kind, target): an approval of the amount first when {@code allowance} is
     * below it, then the stake.
     *
     * @throws IllegalArgumentException for an amount that is not positive or a target that is not 32 bytes
     */
    public static List<Call> stake(BigInteger allowance, Address token, Address vault, BigInteger kind, byte[] target,
                                   BigInteger amount) {
        check(kind, target, amount);
        List<Call> calls = new ArrayList<>();
        if (allowance.compareTo(amount) < 0) {
            calls.add(new Call(Step.APPROVE, token, encode(new Function("approve", List.of(
                    new org.web3j.abi.datatypes.Address(vault.lowercase()), new Uint256(amount)), List.of()))));
        }
        calls.add(new Call(Step.STAKE, vault, encode(new Function("stake", List.of(new Uint8(kind),
                new Bytes32(target), new Uint256(amount)), List.of()))));
        return calls;
    }

    /** Asking to unstake {@code amount} wei (withdrawable after the vault's cooldown). */
    public static Call requestUnstake(Address vault, BigInteger kind, byte[] target, BigInteger amount) {
        check(kind, target, amount);
        return new Call(Step.REQUEST_UNSTAKE, vault, encode(new Function("requestUnstake", List.of(new Uint8(kind),
                new Bytes32(target), new Uint256(amount)), List.of())));
    }

    /** Withdrawing everything unbonding behind (kind, target) once the cooldown is over. */
    public static Call withdraw(Address vault, BigInteger kind, byte[] target) {
        check(kind, target, BigInteger.ONE);
        return new Call(Step.WITHDRAW, vault, encode(new Function("withdraw", List.of(new Uint8(kind),
                new Bytes32(target)), List.of())));
    }

    private static void check(BigInteger kind, byte[] target, BigInteger amount) {
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("a stake amount must be positive, got " + amount);
        }
        if (target.length != 32) {
            throw new IllegalArgumentException("a stake target is 32 bytes, got " + target.length);
        }
        if (kind.signum() < 0 || kind.bitLength() > 8) {
            throw new IllegalArgumentException("a target kind is a uint8, got " + kind);
        }
    }

    private static byte[] encode(Function f) {
        return Numeric.hexStringToByteArray(FunctionEncoder.encode(f));
    }
}
