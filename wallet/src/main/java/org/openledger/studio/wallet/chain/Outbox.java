package org.openledger.studio.wallet.chain;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openledger.studio.store.CrashPoint;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Wallet;
import org.openledger.studio.wallet.signing.SignedTransaction;
import org.openledger.studio.wallet.signing.TransactionRequest;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.transaction.type.Transaction1559;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Sending transactions in separate, recoverable steps: {@link #prepare} (nonce, gas, fees: what the review dialog
 * shows), {@link #sign} (the chain id is checked, the signed bytes are saved), {@link #broadcast}, {@link #settle}.
 * {@link #resume} picks up whatever a crash or a dead node interrupted, with the saved bytes.
 */
public final class Outbox {

    /** Headroom on the node's gas estimate: state can change between estimate and inclusion. */
    private static final int GAS_MARGIN_PERCENT = 20;
    /** Nodes accept a replacement only when both fees rise by at least 10 %. */
    private static final int REPLACEMENT_BUMP_PERCENT = 10;

    private final ChainClient client;
    private final NonceBook book;
    private final Wallet wallet;

    public Outbox(ChainClient client, NonceBook book, Wallet wallet) {
        this.client = client;
        this.book = book;
        this.wallet = wallet;
    }

    public NonceBook book() {
        return book;
    }

    /**
     * A complete transaction ready for review: next nonce (node and nonce book agree), estimated gas + 20 %, fees at
     * {@code speed}.
     *
     * @throws TransactionRevertedException when the node says it would revert (with the decoded reason)
     * @throws NonceGapException           when earlier transactions left a hole
     */
    public TransactionRequest prepare(Address from, Address to, BigInteger value, byte[] data,
                                      FeeSuggestion.Speed speed) {
        byte[] payload = data == null ? new byte[0] : data;
        client.requireExpectedChain();
        BigInteger nonce = book.nextNonce(client.expectedChainId(), from, client.nonce(from, true));
        BigInteger estimate = client.estimateGas(from, to, value, payload);
        // a plain transfer costs exactly 21000 whatever happens; anything running code gets headroom
        BigInteger gas = estimate.equals(BigInteger.valueOf(21_000)) && payload.length == 0 ? estimate
                : estimate.multiply(BigInteger.valueOf(100 + GAS_MARGIN_PERCENT)).divide(BigInteger.valueOf(100));
        FeeSuggestion.Fee fee = client.fees().level(speed);
        return new TransactionRequest(client.expectedChainId(), nonce, to, value, payload, gas, fee.maxFeePerGas(),
                fee.maxPriorityFeePerGas());
    }

    /** What the confirmation screen shows for {@code request}, with the sender's balance and the recipient's kind. */
    public org.openledger.studio.wallet.review.TransactionReview review(
            Address from, TransactionRequest request, org.openledger.studio.wallet.review.CallDecoder decoder) {
        boolean contract = request.to() != null && client.hasCode(request.to());
        return org.openledger.studio.wallet.review.TransactionReview.of(request, from, client.balance(from), contract,
                decoder);
    }

    /** Signs (after the chain-id check) and saves the signed bytes; nothing is sent yet. */
    public SignedTransaction sign(Address from, TransactionRequest request, String description) {
        SignedTransaction signed = client.sign(wallet, from, request);
        book.recordSigned(signed, description);
        CrashPoint.reach("outbox.signed"); // saved, not sent
        return signed;
    }

    /**
     * Sends a signed transaction.
     *
     * @throws BroadcastFailedException when the node cannot be reached: the transaction stays saved as signed and
     *                                  {@link #resume} sends the same bytes later
     */
    public String broadcast(SignedTransaction tx) {
        try {
            String hash = client.broadcast(tx);
            CrashPoint.reach("outbox.broadcast"); // the node has it, the nonce book still says signed
            book.mark(tx.hash(), PendingTransaction.Status.SENT);
            return hash;
        } catch (NodeUnreachableException e) {
            throw new BroadcastFailedException("Transaction " + tx.hash() + " (nonce " + tx.nonce() + ") is signed and "
                    + "saved but the node could not be reached. It will be sent again, unchanged, when you resume: "
                    + "it cannot be sent twice.", e);
        } catch (NonceTooLowException e) {
            settleUsedNonce(tx.hash());
            throw e;
        } catch (ChainException e) {
            book.mark(tx.hash(), PendingTransaction.Status.DROPPED);
            throw e;
        }
    }

    /** Waits for the receipt, records the outcome, and throws the decoded reason if it reverted. */
    public TransactionReceipt settle(String hash, Duration timeout) {
        TransactionReceipt receipt = client.awaitReceipt(hash, timeout);
        record(hash, receipt);
        if (!receipt.isStatusOK()) {
            throw new TransactionRevertedException("Transaction " + hash + " reverted: "
                    + book.find(hash).map(PendingTransaction::reason).orElse("?"));
        }
        return receipt;
    }

    /**
     * Waits until a transaction with the nonce of {@code hash} is mined: {@code hash} itself or a replacement of it
     * (speed-up, cancel) signed meanwhile, which is what a watcher of a pending transaction needs: after a speed-up,
     * the original never gets a receipt. Records the outcome (and the revert reason) and never throws for a revert.
     *
     * @return the transaction that was mined, as now recorded (MINED or FAILED)
     * @throws ChainException when none is mined within {@code timeout} (they stay pending)
     */
    public PendingTransaction awaitSettled(String hash, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (PendingTransaction t : book.sameNonce(hash)) {
                if (t.status().unsettled() || t.hash().equals(hash)) {
                    Optional<TransactionReceipt> receipt = client.receipt(t.hash());
                    if (receipt.isPresent()) {
                        record(t.hash(), receipt.get());
                        return book.find(t.hash()).orElseThrow();
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new ChainException("Transaction " + hash + " was not mined within " + timeout.toSeconds()
                        + " s; it is still pending (it can be sped up or cancelled)");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChainException("Interrupted while waiting for " + hash, e);
            }
        }
    }

    /**
     * Brings the statuses of {@code from}'s sent transactions up to date from their receipts, without sending
     * anything (unlike {@link #resume}: a transaction signed under review must not leave before the user says so).
     *
     * @return everything this wallet signed for {@code from} on this chain, newest first
     */
    public List<PendingTransaction> history(Address from) {
        // a saved "signed" one may have reached a node before a crash: its receipt says so
        for (PendingTransaction t : book.unsettled(client.expectedChainId(), from)) {
            if (book.find(t.hash()).map(p -> p.status().unsettled()).orElse(false)) {
                client.receipt(t.hash()).ifPresent(r -> record(t.hash(), r));
            }
        }
        return book.history(client.expectedChainId(), from);
    }

    /**
     * The saved bytes of a transaction signed but never sent (the studio stopped, or the node was unreachable, between
     * signing and broadcasting), to send now with {@link #broadcast}: the same bytes, so it cannot be paid twice.
     *
     * @throws ChainException when this wallet holds no such transaction on this chain, or it is not waiting to be sent
     */
    public SignedTransaction unsent(String hash) {
        PendingTransaction t = book.find(hash).orElseThrow(() -> new ChainException("This wallet signed no"
                + " transaction " + hash));
        if (t.chainId() != client.expectedChainId()) {
            throw new ChainException("Transaction " + hash + " was signed for chain " + t.chainId() + ", not for "
                    + client.expectedChainId());
        }
        if (t.status() != PendingTransaction.Status.SIGNED) {
            throw new ChainException("Transaction " + hash + " is " + t.status().name().toLowerCase(java.util.Locale.ROOT)
                    + ", not waiting to be sent");
        }
        return new SignedTransaction(Numeric.hexStringToByteArray(t.rawHex()), t.sender(), t.chainId(), t.nonce());
    }

    /**
     * Gives up a transaction that was signed but never broadcast (the user closed its review): its nonce is free for
     * the next one. A transaction already sent cannot be given up this way; cancel it instead.
     */
    public void discard(String hash) {
        book.find(hash).filter(t -> t.status() == PendingTransaction.Status.SIGNED)
                .ifPresent(t -> book.mark(hash, PendingTransaction.Status.DROPPED));
    }

    /** Marks a mined transaction and, when it reverted, keeps its decoded reason. */
    private void record(String hash, TransactionReceipt receipt) {
        book.mark(hash, receipt.isStatusOK() ? PendingTransaction.Status.MINED : PendingTransaction.Status.FAILED);
        if (!receipt.isStatusOK()) {
            String reason;
            try {
                reason = client.revertReason(receipt);
            } catch (ChainException e) {
                reason = "reverted (the reason could not be read: " + e.getMessage() + ")";
            }
            book.recordReason(hash, reason);
        }
    }

    /**
     * Brings every unsettled transaction of {@code from} up to date: mined ones are recorded, the others are sent
     * again with their saved bytes (a node that already has one simply says so).
     *
     * @return the transactions still waiting to be mined
     */
    public List<PendingTransaction> resume(Address from) {
        client.requireExpectedChain();
        List<PendingTransaction> waiting = new ArrayList<>();
        for (PendingTransaction t : book.unsettled(client.expectedChainId(), from)) {
            Optional<TransactionReceipt> receipt = client.receipt(t.hash());
            if (receipt.isPresent()) {
                record(t.hash(), receipt.get());
                continue;
            }
            if (book.find(t.hash()).map(p -> !p.status().unsettled()).orElse(true)) {
                continue; // replaced by a sibling just recorded as mined
            }
            try {
                client.broadcast(new SignedTransaction(Numeric.hexStringToByteArray(t.rawHex()), t.sender(),
                        t.chainId(), t.nonce()));
                book.mark(t.hash(), PendingTransaction.Status.SENT);
                waiting.add(book.find(t.hash()).orElseThrow());
            } catch (NonceTooLowException e) {
                settleUsedNonce(t.hash());
            }
        }
        return waiting;
    }

    /**
     * Replaces a pending transaction by the same one with higher fees (at least +10 % each, as nodes require).
     */
    public SignedTransaction speedUp(String hash, FeeSuggestion.Fee fee) {
        return sign(senderOf(hash), speedUpRequest(hash, fee), "speed-up of " + hash);
    }

    /** Replaces a pending transaction by a 0-value transfer to oneself with the same nonce and higher fees. */
    public SignedTransaction cancel(String hash, FeeSuggestion.Fee fee) {
        return sign(senderOf(hash), cancelRequest(hash, fee), "cancel of " + hash);
    }

    /**
     * The unsigned speed-up of a pending transaction (same nonce, call and gas; each fee the higher of {@code fee}
     * and the old one + 10 %), for a review before it is signed with {@link #sign}.
     */
    public TransactionRequest speedUpRequest(String hash, FeeSuggestion.Fee fee) {
        TransactionRequest original = pendingRequest(hash);
        return original.withFees(bumped(original.maxFeePerGas(), fee.maxFeePerGas()),
                bumped(original.maxPriorityFeePerGas(), fee.maxPriorityFeePerGas()));
    }

    /** The unsigned cancel of a pending transaction: nothing sent to oneself with the same nonce and bumped fees. */
    public TransactionRequest cancelRequest(String hash, FeeSuggestion.Fee fee) {
        TransactionRequest original = pendingRequest(hash);
        return new TransactionRequest(original.chainId(), original.nonce(), senderOf(hash),
                BigInteger.ZERO, new byte[0], BigInteger.valueOf(21_000),
                bumped(original.maxFeePerGas(), fee.maxFeePerGas()),
                bumped(original.maxPriorityFeePerGas(), fee.maxPriorityFeePerGas()));
    }

    /** The fee levels of the chain now (what {@link #prepare} picks from). */
    public FeeSuggestion fees() {
        return client.fees();
    }

    private TransactionRequest pendingRequest(String hash) {
        PendingTransaction t = book.find(hash).orElseThrow(() -> new ChainException("Transaction " + hash
                + " was not sent from this wallet"));
        if (!t.status().unsettled()) {
            throw new ChainException("Transaction " + hash + " is already " + t.status().name().toLowerCase()
                    + ": it cannot be replaced");
        }
        RawTransaction raw = TransactionDecoder.decode(t.rawHex());
        Transaction1559 tx = (Transaction1559) raw.getTransaction();
        return new TransactionRequest(tx.getChainId(), tx.getNonce(),
                tx.getTo() == null || tx.getTo().isEmpty() ? null : Address.parse(tx.getTo()), tx.getValue(),
                Numeric.hexStringToByteArray(tx.getData()), tx.getGasLimit(), tx.getMaxFeePerGas(),
                tx.getMaxPriorityFeePerGas());
    }

    private Address senderOf(String hash) {
        return book.find(hash).orElseThrow().sender();
    }

    private static BigInteger bumped(BigInteger old, BigInteger wanted) {
        BigInteger minimum = old.multiply(BigInteger.valueOf(100 + REPLACEMENT_BUMP_PERCENT))
                .add(BigInteger.valueOf(99)).divide(BigInteger.valueOf(100));
        return wanted.max(minimum);
    }

    /** The node says the nonce is used: by this transaction (it has a receipt) or by another one. */
    private void settleUsedNonce(String hash) {
        Optional<TransactionReceipt> receipt = client.receipt(hash);
        if (receipt.isPresent()) {
            record(hash, receipt.get());
        } else {
            book.mark(hash, PendingTransaction.Status.REPLACED);
        }
    }
}
