package org.openledger.studio.gpu.generate;

/** Receives tokens as they are generated; called on the generating thread, so it should return quickly. */
@FunctionalInterface
public interface TokenListener {

    TokenListener NONE = e -> { };

    void onEvent(TokenEvent event);
}
