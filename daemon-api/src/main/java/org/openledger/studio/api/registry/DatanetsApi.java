package org.openledger.studio.api.registry;

import org.openledger.studio.datanet.contribution.RegistryClient;

/** What the Datanets section asks a node: its registry's signing domain, and the registry to upload to. */
public interface DatanetsApi {

    /** The domain the node checks contribution signatures against. */
    RegistryInfo registryInfo();

    /** The node's Datanet registry as the upload engine calls it. */
    RegistryClient registry();
}
