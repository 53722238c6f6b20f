package org.openledger.studio.ui.datanet;

import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.registry.RegistryApi;
import org.openledger.studio.api.registry.RegistryInfo;
import org.openledger.studio.datanet.contribution.RegistryClient;
import org.openledger.studio.datanet.node.HttpRegistryClient;

/**
 * What the Datanets section asks a node: its registry's signing domain, and the registry to upload to (the upload
 * engine's view of it). It lives here, not in daemon-api, because the registry it hands out is an engine type.
 */
public interface DatanetsApi {

    /** The domain the node checks contribution signatures against. */
    RegistryInfo registryInfo();

    /** The node's Datanet registry as the upload engine calls it. */
    RegistryClient registry();

    /** Over a node's HTTP API. */
    static DatanetsApi of(NodeClient node) {
        return new DatanetsApi() {
            @Override
            public RegistryInfo registryInfo() {
                return new RegistryApi(node).info();
            }

            @Override
            public RegistryClient registry() {
                return new HttpRegistryClient(node);
            }
        };
    }
}
