package org.openledger.studio.daemon;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.openledger.studio.api.NodeInfo;
import org.openledger.studio.api.Wire;

/** Says what this node is and has ({@code GET /v1/node}): identity, host, devices and capabilities. */
public final class NodeDescription {

    private final String nodeId;
    private final String name;
    private final String version;
    private final Instant started;
    private final String dataDir;
    private final Clock clock;
    private final NodeServices services;

    public NodeDescription(String nodeId, String name, String version, Instant started, String dataDir, Clock clock,
                           NodeServices services) {
        this.services = services;
        this.nodeId = nodeId;
        this.name = name;
        this.version = version;
        this.started = started;
        this.dataDir = dataDir;
        this.clock = clock;
    }

    public NodeInfo describe() {
        Runtime rt = Runtime.getRuntime();
        long totalMemory = totalPhysicalMemory();
        var host = new NodeInfo.HostInfo(System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("os.arch"), System.getProperty("java.version"), rt.availableProcessors(),
                rt.maxMemory(), totalMemory);
        return new NodeInfo(nodeId, name, version, Wire.API_VERSION, started.toString(),
                Duration.between(started, clock.instant()).toSeconds(), host, dataDir, services.devices().get(),
                services.capabilities().get());
    }

    /** The CPU alone, described without loading any ML engine. */
    public static List<NodeInfo.DeviceInfo> cpuOnly() {
        Runtime rt = Runtime.getRuntime();
        return List.of(new NodeInfo.DeviceInfo("cpu", "cpu", rt.availableProcessors() + " cores",
                totalPhysicalMemory()));
    }

    /** Features of a node that serves no model: each later feature flips its entry when it lands. */
    public static List<NodeInfo.Capability> nothingYet() {
        return List.of(
                new NodeInfo.Capability("inference", false, "no base model loaded: start the node with --base-model DIR"),
                new NodeInfo.Capability("fine_tuning", false, "not built yet: arrives with the fine-tuning issue"),
                new NodeInfo.Capability("datanet_registry", false, "not built yet: arrives with the Datanets issue"),
                new NodeInfo.Capability("attribution", false, "not built yet"),
                new NodeInfo.Capability("settlement", false, "not built yet: needs the wallet and contracts issue"));
    }

    private static long totalPhysicalMemory() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return -1;
    }
}
