package org.openledger.studio.daemon;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.openledger.studio.api.NodeInfo;
import org.openledger.studio.daemon.handlers.NoModelHandlers;
import org.openledger.studio.daemon.http.Router;

/**
 * What the composition root plugs into a node beyond its system endpoints: feature routes, the devices and
 * capabilities it reports, and resources to close (in reverse order) when it stops.
 */
public record NodeServices(Consumer<Router> routes, Supplier<List<NodeInfo.DeviceInfo>> devices,
                           Supplier<List<NodeInfo.Capability>> capabilities, List<AutoCloseable> resources,
                           Supplier<String> metrics) {

    public NodeServices {
        resources = List.copyOf(resources);
    }

    /** Services without metrics of their own. */
    public NodeServices(Consumer<Router> routes, Supplier<List<NodeInfo.DeviceInfo>> devices,
                        Supplier<List<NodeInfo.Capability>> capabilities, List<AutoCloseable> resources) {
        this(routes, devices, capabilities, resources, () -> "");
    }

    /** The same services plus Prometheus text of a feature's own, appended to {@code /metrics}. */
    public NodeServices withMetrics(Supplier<String> more) {
        Supplier<String> before = metrics;
        return new NodeServices(routes, devices, capabilities, resources, () -> before.get() + more.get());
    }

    /** A node with only its system endpoints. */
    public static NodeServices none() {
        return new NodeServices(NoModelHandlers::register, NodeDescription::cpuOnly, NodeDescription::nothingYet,
                List.of());
    }

    /** The same services plus a resource closed with the node (after the ones before it). */
    public NodeServices withResource(AutoCloseable resource) {
        List<AutoCloseable> more = new java.util.ArrayList<>(resources);
        more.add(resource);
        return new NodeServices(routes, devices, capabilities, more, metrics);
    }

    /** The same services, reporting {@code capability} in place of the one of the same name. */
    public NodeServices withCapability(NodeInfo.Capability capability) {
        Supplier<List<NodeInfo.Capability>> before = capabilities;
        return new NodeServices(routes, devices, () -> before.get().stream()
                .map(c -> c.name().equals(capability.name()) ? capability : c).toList(), resources, metrics);
    }

    /** The same services plus extra routes (tests add fault-injecting endpoints this way). */
    public NodeServices withRoutes(Consumer<Router> more) {
        return new NodeServices(routes.andThen(more), devices, capabilities, resources, metrics);
    }
}
