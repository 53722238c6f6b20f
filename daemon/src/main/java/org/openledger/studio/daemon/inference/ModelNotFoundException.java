package org.openledger.studio.daemon.inference;

/** A request named a model this node does not serve. */
public final class ModelNotFoundException extends Exception {
    public ModelNotFoundException(String message) {
        super(message);
    }
}
