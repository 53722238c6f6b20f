package org.openledger.studio.daemon.rewards;

/**
 * Settling cannot go ahead, and nothing was sent: {@link #code()} is {@code nothing_to_settle},
 * {@code no_operator_key}, {@code underfunded} or {@code epoch_taken} (another root took the
 * recorded epoch's number; it is marked failed); the message says what to do.
 */
public final class SettleRefusedException extends RuntimeException {

    public static final String NOTHING_TO_SETTLE = "nothing_to_settle";
    public static final String NO_OPERATOR_KEY = "no_operator_key";
    public static final String UNDERFUNDED = "underfunded";
    public static final String EPOCH_TAKEN = "epoch_taken";

    private final String code;

    public SettleRefusedException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
