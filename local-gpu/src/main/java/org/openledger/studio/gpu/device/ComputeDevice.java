package org.openledger.studio.gpu.device;

import ai.djl.Device;

/**
 * A place to run a model: the CPU or one CUDA GPU, with its memory as last measured.
 *
 * @param id        "cpu" or "gpu:N", as users type it
 * @param usable    false for a GPU that nvidia-smi sees but the loaded PyTorch build cannot use (CPU-only natives)
 * @param note      why a device is not usable, or empty
 */
public record ComputeDevice(String id, Kind kind, String name, long totalBytes, long freeBytes, boolean usable,
                            String note) {

    public enum Kind { CPU, GPU }

    public static ComputeDevice cpu(String name, long total, long free) {
        return new ComputeDevice("cpu", Kind.CPU, name, total, free, true, "");
    }

    public int index() {
        return kind == Kind.CPU ? -1 : Integer.parseInt(id.substring(id.indexOf(':') + 1));
    }

    /** The DJL device to create arrays on. */
    public Device djl() {
        return kind == Kind.CPU ? Device.cpu() : Device.gpu(index());
    }
}
