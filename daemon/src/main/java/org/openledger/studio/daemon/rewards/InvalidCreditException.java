package org.openledger.studio.daemon.rewards;

/** A credit or account the ledger refuses as given; {@link #param()} names the field at fault. */
public final class InvalidCreditException extends RuntimeException {

    private final String param;

    public InvalidCreditException(String param, String message) {
        super(message);
        this.param = param;
    }

    public String param() {
        return param;
    }
}
