package org.openledger.studio.wallet.staking;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openledger.studio.wallet.Address;
import org.web3j.utils.Numeric;

class StakingTest {

    private static final Address TOKEN = Address.parse("0x00000000000000000000000000000000000000a1");
    private static final Address VAULT = Address.parse("0x00000000000000000000000000000000000000b2");
    private static final byte[] TARGET = new byte[32];

    @Test
    void approvesOnlyWhenTheAllowanceDoesNotCoverTheAmount() {
        List<Staking.Call> short_ = Staking.stake(BigInteger.valueOf(99), TOKEN, VAULT, BigInteger.ONE, TARGET,
                BigInteger.valueOf(100));
        assertEquals(List.of(Staking.Step.APPROVE, Staking.Step.STAKE), short_.stream().map(Staking.Call::step)
                .toList());
        assertEquals(TOKEN, short_.get(0).to());
        assertEquals(VAULT, short_.get(1).to());
        // approve(address,uint256) = 0x095ea7b3; stake(uint8,bytes32,uint256) = keccak prefix of its signature
        assertEquals("0x095ea7b3", Numeric.toHexString(short_.get(0).data()).substring(0, 10));
        List<Staking.Call> covered = Staking.stake(BigInteger.valueOf(100), TOKEN, VAULT, BigInteger.ONE, TARGET,
                BigInteger.valueOf(100));
        assertEquals(List.of(Staking.Step.STAKE), covered.stream().map(Staking.Call::step).toList());
        assertArrayEquals(short_.get(1).data(), covered.get(0).data());
    }

    @Test
    void refusesWhatTheVaultWouldRevert() {
        assertThrows(IllegalArgumentException.class, () -> Staking.stake(BigInteger.ZERO, TOKEN, VAULT,
                BigInteger.ONE, TARGET, BigInteger.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Staking.requestUnstake(VAULT, BigInteger.ONE, new byte[31],
                BigInteger.ONE));
        assertThrows(IllegalArgumentException.class, () -> Staking.withdraw(VAULT, BigInteger.valueOf(256), TARGET));
    }
}
