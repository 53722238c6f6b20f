package org.openledger.studio.datanet.workspace;

/** A request the workspace cannot carry out (a name taken, a Datanet that does not exist); the message says which. */
public class WorkspaceException extends RuntimeException {
    public WorkspaceException(String message) {
        super(message);
    }
}
