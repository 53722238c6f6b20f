package org.openledger.studio.api;

/** What the Nodes view asks a node: who it is. */
public interface NodesApi {

    NodeInfo node();
}
