package org.openledger.studio.wallet.chain;

/** The RPC endpoint does not answer (down, wrong URL, no network). */
public class NodeUnreachableException extends ChainException {
    public NodeUnreachableException(String message) {
        super(message);
    }

    public NodeUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
