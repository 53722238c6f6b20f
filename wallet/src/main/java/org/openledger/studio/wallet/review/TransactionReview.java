package org.openledger.studio.wallet.review;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.signing.TransactionRequest;

/**
 * Everything the confirmation screen must show before signing, computed rather than left to the view: who pays, who
 * receives, the decoded call, the worst-case cost (value + gas limit x max fee), chain and nonce, and the warnings a
 * careful user would want (unlimited approval, unknown contract, not enough balance, deployment).
 */
public record TransactionReview(Address from, Address to, String toLabel, BigInteger value,
                                Optional<DecodedCall> call, int dataLength, BigInteger gasLimit,
                                BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas, BigInteger maxFeeCost,
                                BigInteger maxTotalCost, BigInteger balance, long chainId, BigInteger nonce,
                                List<Warning> warnings) {

    /** Amounts at or above 2^255 are "unlimited" in practice (wallets and tokens treat 2^256-1 as infinite). */
    static final BigInteger UNLIMITED = BigInteger.TWO.pow(255);

    public enum Warning {
        UNLIMITED_APPROVAL("This lets the spender move all of this token from your account, now and later"),
        UNKNOWN_CONTRACT("The recipient is a contract this studio does not know: check the address"),
        UNDECODED_DATA("The call data could not be decoded: you cannot see what this call does"),
        LOW_BALANCE("Your balance does not cover the value plus the maximum fee: the transaction would fail"),
        CONTRACT_DEPLOYMENT("This deploys a new contract");

        private final String message;

        Warning(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    /**
     * @param toIsContract whether the recipient has code (from {@code eth_getCode})
     * @param balance      the sender's balance of the gas token
     */
    public static TransactionReview of(TransactionRequest r, Address from, BigInteger balance, boolean toIsContract,
                                       CallDecoder decoder) {
        byte[] data = r.data();
        Optional<DecodedCall> call = decoder.decode(r.to(), data);
        List<Warning> warnings = new ArrayList<>();
        String label;
        if (r.to() == null) {
            label = "new contract";
            warnings.add(Warning.CONTRACT_DEPLOYMENT);
        } else {
            label = decoder.contractName(r.to()).orElse(toIsContract ? "unknown contract" : "account");
            if (toIsContract && decoder.contractName(r.to()).isEmpty()) {
                warnings.add(Warning.UNKNOWN_CONTRACT);
            }
            if (data.length > 0 && call.isEmpty()) {
                warnings.add(Warning.UNDECODED_DATA);
            }
        }
        call.filter(c -> c.function().equals("approve") || c.function().equals("increaseAllowance")
                        || c.function().equals("permit"))
                .flatMap(c -> c.arguments().stream().filter(a -> a.type().equals("uint256")).findFirst())
                .filter(a -> new BigInteger(a.value()).compareTo(UNLIMITED) >= 0)
                .ifPresent(a -> warnings.add(Warning.UNLIMITED_APPROVAL));
        BigInteger feeCost = r.maxFeeCost();
        BigInteger total = feeCost.add(r.value());
        if (balance.compareTo(total) < 0) {
            warnings.add(Warning.LOW_BALANCE);
        }
        return new TransactionReview(from, r.to(), label, r.value(), call, data.length, r.gasLimit(),
                r.maxFeePerGas(), r.maxPriorityFeePerGas(), feeCost, total, balance, r.chainId(), r.nonce(),
                List.copyOf(warnings));
    }
}
