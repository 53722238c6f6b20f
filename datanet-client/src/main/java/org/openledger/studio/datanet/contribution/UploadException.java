package org.openledger.studio.datanet.contribution;

/** An upload that cannot go on as it is; the message says why and what to do. Sent chunks stay sent. */
public class UploadException extends RuntimeException {
    public UploadException(String message) {
        super(message);
    }

    public UploadException(String message, Throwable cause) {
        super(message, cause);
    }
}
