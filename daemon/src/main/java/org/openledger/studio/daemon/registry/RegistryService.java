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

    /** An upload whose sender sent nothing for this long is abandoned: its received chunks are dropped. */
    public static final java.time.Duration ABANDONED_UPLOAD = java.time.Duration.ofHours(24);

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
        java.util.concurrent.ScheduledExecutorService expiry =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "registry-upload-expiry");
                    t.setDaemon(true);
                    return t;
                });
        // at start, then hourly, as adapter pushes are
        expiry.scheduleWithFixedDelay(() -> {
            try {
                registry.expireAbandoned(ABANDONED_UPLOAD);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(RegistryService.class).warn(
                        "Could not expire abandoned uploads: {}", e.toString());
            }
        }, 0, 1, java.util.concurrent.TimeUnit.HOURS);
        // resources close in reverse order: the expiry stops before the registry closes
        return services.withRoutes(new RegistryHandlers(registry)::register).withResource(registry)
                .withResource(expiry::shutdownNow)
                .withCapability(new org.openledger.studio.api.NodeInfo.Capability("datanet_registry", true,
                        "signed, resumable contribution uploads; near-duplicate queries"));
    }
}
