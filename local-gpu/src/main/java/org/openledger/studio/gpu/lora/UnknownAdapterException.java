package org.openledger.studio.gpu.lora;

/** A request named an adapter id that the adapter folder does not hold. */
public final class UnknownAdapterException extends Exception {

    private final String id;

    public UnknownAdapterException(String id, String message) {
        super(message);
        this.id = id;
    }

    public String id() {
        return id;
    }
}
