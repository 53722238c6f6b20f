package org.openledger.studio.ui.finetune;

/**
 * A Datanet of the studio's workspace, by the id the node's registry files its contributions under, and its name.
 */
public record LocalDatanet(String nodeId, String name) {
}
