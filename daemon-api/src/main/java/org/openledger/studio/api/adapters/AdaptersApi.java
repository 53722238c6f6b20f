package org.openledger.studio.api.adapters;

/**
 * What the Nodes view asks a node about its adapters: the adapters of a tier (or all) with their counters, how busy
 * the node is, and registering and deleting one.
 */
public interface AdaptersApi {

    /** {@code GET /v1/adapters[?tier=]}: {@code tier} is {@code device}, {@code host}, {@code disk} or null for all. */
    AdapterList adapters(String tier);

    /** The node's queue and token counters, read from its {@code /metrics}. */
    ServingLoad servingLoad();

    /** {@code POST /v1/adapters}: serves a folder that is on the node. */
    AdapterInfo registerAdapter(AdapterRegistration registration);

    /** {@code DELETE /v1/adapters/{id}}: refused (409) while a request holds or waits for it. */
    AdapterDeleted deleteAdapter(String adapterId);
}
