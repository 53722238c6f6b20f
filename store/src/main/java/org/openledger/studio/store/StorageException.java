package org.openledger.studio.store;

/** A problem with local state that the user can act on; the message says what and where. */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
