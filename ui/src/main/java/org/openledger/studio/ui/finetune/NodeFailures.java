package org.openledger.studio.ui.finetune;

import org.openledger.studio.api.NodeClientException;

/** Node failures in the words the Fine-tune view shows: a sentence, never a stack trace. */
final class NodeFailures {

    private NodeFailures() {
    }

    /** True when the node does not have the endpoint (an older node): 404 or 405 with no job in question. */
    static boolean unsupported(Throwable e) {
        return e instanceof NodeClientException n && n.kind() == NodeClientException.Kind.HTTP_ERROR
                && (n.status() == 404 || n.status() == 405);
    }

    /** The node's {@code param} for a 400, or null. */
    static String param(Throwable e) {
        if (e instanceof NodeClientException n && n.status() == 400 && n.error() != null && n.error().error() != null) {
            return n.error().error().param();
        }
        return null;
    }

    /** The node's own message when it sent one, else the exception's message. */
    static String message(Throwable e) {
        if (e instanceof NodeClientException n && n.kind() == NodeClientException.Kind.HTTP_ERROR && n.error() != null
                && n.error().error() != null && n.error().error().message() != null) {
            return n.error().error().message();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
