package org.openledger.studio.daemon.adapters;

/** Why an adapter's files cannot be listed, sent or received; the handler maps {@link Kind} to an HTTP status. */
public final class AdapterTransferException extends Exception {

    /** What went wrong, from the client's point of view. */
    public enum Kind {
        /** An id, file name, hash or file list that is not acceptable (400). */
        BAD_INPUT,
        /** No such served adapter or file (404). */
        NOT_FOUND,
        /** An adapter with that id is served already (409). */
        CONFLICT,
        /** The files arrived but do not make an adapter this node can serve (400). */
        REFUSED,
        /** A file larger than the node accepts (413). */
        TOO_LARGE,
        /** An adapter larger than the device bytes the node gives adapters (400). */
        OVER_BUDGET,
        /** The adapter is held by a running request (409). */
        IN_USE
    }

    private final Kind kind;
    private final String param;

    public AdapterTransferException(Kind kind, String param, String message) {
        super(message);
        this.kind = kind;
        this.param = param;
    }

    public Kind kind() {
        return kind;
    }

    /** The request part at fault (id, name, sha256, files), or null. */
    public String param() {
        return param;
    }
}
