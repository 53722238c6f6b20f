package org.openledger.studio.api;

import java.util.List;

/**
 * Answer of {@code GET /v1/node}: what this node is and what it has.
 *
 * @param nodeId       stable id of this node, kept in its data folder
 * @param name         a human name (host name by default)
 * @param version      program version
 * @param apiVersion   wire protocol version ({@link Wire#API_VERSION})
 * @param startedAt    ISO-8601 instant the node started
 * @param uptimeSeconds seconds since start
 * @param host         OS, CPU and memory of the machine
 * @param dataDir      the node's data folder
 * @param devices      compute devices the node can use
 * @param capabilities features and whether this node offers them yet
 */
public record NodeInfo(String nodeId, String name, String version, String apiVersion, String startedAt,
                       long uptimeSeconds, HostInfo host, String dataDir, List<DeviceInfo> devices,
                       List<Capability> capabilities) {

    /** The machine the node runs on. */
    public record HostInfo(String os, String arch, String javaVersion, int cpuCores, long maxHeapBytes,
                           long totalMemoryBytes) {
    }

    /** A compute device (CPU or GPU) and its memory. */
    public record DeviceInfo(String id, String kind, String name, long memoryBytes) {
    }

    /**
     * A feature of the node.
     *
     * @param name      e.g. {@code inference}, {@code fine_tuning}
     * @param available whether this node offers it now
     * @param note      why not, or details
     */
    public record Capability(String name, boolean available, String note) {
    }
}
