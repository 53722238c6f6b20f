package org.openledger.studio.daemon.registry;

/** No upload with this id on this node. */
public final class UnknownUploadException extends RuntimeException {
    public UnknownUploadException(String id) {
        super("No upload with id " + id + " on this node");
    }
}
