package org.openledger.studio.daemon.registry;

import java.nio.file.Path;
import java.time.Clock;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.daemon.handlers.RegistryHandlers;
import org.openledger.studio.datanet.contribution.ManifestDomain;

/** Plugs the Datanet registry ({@code <data>/registry.db}) into a node's services. */
public final class RegistryService {

    /** Chain and contract manifests are signed for when no on-chain registry is configured: the local devnet's id. */
    public static final long DEFAULT_CHAIN_ID = 31337;
    public static final String NO_CONTRACT = "0x0000000000000000000000000000000000000000";

    private RegistryService() {
    }

    /** {@code services} plus the registry's routes; the registry closes with the node. */
    public static NodeServices addTo(NodeServices services, Path dataDir, ManifestDomain domain) {
        return addTo(services, open(dataDir, domain));
    }

    /** The registry in {@code <dataDir>/registry.db}, for a node to plug in with {@link #addTo(NodeServices, DatanetRegistry)}. */
    public static DatanetRegistry open(Path dataDir, ManifestDomain domain) {
        return new DatanetRegistry(RegistryStore.open(dataDir), domain, Clock.systemUTC());
    }

    /** {@code services} plus an opened registry's routes; the registry closes with the node. */
    public static NodeServices addTo(NodeServices services, DatanetRegistry registry) {
        return services.withRoutes(new RegistryHandlers(registry)::register).withResource(registry)
                .withCapability(new org.openledger.studio.api.NodeInfo.Capability("datanet_registry", true,
                        "signed, resumable contribution uploads; near-duplicate queries"));
    }
}
