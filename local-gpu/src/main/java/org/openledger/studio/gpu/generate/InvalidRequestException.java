package org.openledger.studio.gpu.generate;

/**
 * A generation request that cannot be served as asked: a prompt longer than the context, a parameter out of
 * range, a token id outside the vocabulary. {@link #param()} names the offending field as OpenAI's error
 * object does, so a server can answer 400 with it.
 */
public final class InvalidRequestException extends Exception {

    private final String param;

    public InvalidRequestException(String param, String message) {
        super(message);
        this.param = param;
    }

    public String param() {
        return param;
    }
}
