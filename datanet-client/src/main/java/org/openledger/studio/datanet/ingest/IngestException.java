package org.openledger.studio.datanet.ingest;

/** A file that cannot be read as the kind it claims to be; the message names the file and what to do. */
public class IngestException extends RuntimeException {
    public IngestException(String message) {
        super(message);
    }

    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }
}
