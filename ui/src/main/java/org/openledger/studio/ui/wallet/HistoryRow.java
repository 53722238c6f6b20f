package org.openledger.studio.ui.wallet;

import java.math.BigInteger;
import java.util.Locale;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.chain.PendingTransaction;
import org.openledger.studio.wallet.review.CallDecoder;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.utils.Numeric;

/**
 * One line of the wallet's transaction history, worked out off the FX thread: the status in words (pending,
 * confirmed, reverted with its decoded reason, replaced, dropped), the call decoded from the saved signed bytes, and
 * whether it can still be sped up or cancelled (only a transaction a node accepted and that is not mined yet), or
 * is {@code unsent}: signed and saved but never handed to a node (the studio stopped between signing and
 * broadcasting), to send or discard.
 */
public record HistoryRow(String hash, BigInteger nonce, String status, String call, String description,
                         boolean replaceable, boolean unsent) {

    static HistoryRow of(PendingTransaction t, CallDecoder decoder) {
        String status = switch (t.status()) {
            case SIGNED -> "signed, not sent";
            case SENT -> "pending";
            case MINED -> "confirmed";
            case FAILED -> "reverted: " + (t.reason().isEmpty() ? "reason unknown" : t.reason());
            case REPLACED -> "replaced";
            case DROPPED -> "dropped";
        };
        return new HistoryRow(t.hash(), t.nonce(), status, call(t, decoder), t.description(),
                t.status() == PendingTransaction.Status.SENT, t.status() == PendingTransaction.Status.SIGNED);
    }

    private static String call(PendingTransaction t, CallDecoder decoder) {
        try {
            RawTransaction raw = TransactionDecoder.decode(t.rawHex());
            Address to = raw.getTo() == null || raw.getTo().isEmpty() || raw.getTo().equals("0x") ? null
                    : Address.parse(raw.getTo());
            byte[] data = Numeric.hexStringToByteArray(raw.getData() == null ? "0x" : raw.getData());
            if (to == null) {
                return "deploy a contract";
            }
            if (data.length == 0) {
                return raw.getValue().signum() == 0 ? "nothing to " + (to.equals(t.sender()) ? "self" : to)
                        : "send " + WalletViewModel.format(raw.getValue()) + " ETH to " + to;
            }
            return decoder.decode(to, data).map(c -> c.contract() + "." + c.function())
                    .orElse(data.length + " bytes to " + to);
        } catch (RuntimeException e) {
            return "undecodable (" + e.getClass().getSimpleName().toLowerCase(Locale.ROOT) + ")";
        }
    }
}
