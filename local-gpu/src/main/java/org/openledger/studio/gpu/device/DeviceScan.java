package org.openledger.studio.gpu.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the CPU and the CUDA GPUs with their memory: GPUs that the PyTorch engine can use, plus any that only
 * nvidia-smi sees (listed as not usable, with the reason).
 */
public final class DeviceScan {

    private final Engine engine;
    private final Optional<NvidiaSmi> nvidiaSmi;

    public DeviceScan(Engine engine, Optional<NvidiaSmi> nvidiaSmi) {
        this.engine = engine;
        this.nvidiaSmi = nvidiaSmi;
    }

    /** The PyTorch engine and nvidia-smi from the PATH. */
    public static DeviceScan ofThisMachine() {
        return new DeviceScan(Engine.getEngine("PyTorch"), NvidiaSmi.onPath());
    }

    public List<ComputeDevice> devices() {
        List<ComputeDevice> out = new ArrayList<>();
        out.add(cpu());
        int engineGpus = engine.getGpuCount();
        List<NvidiaSmi.Gpu> smi = nvidiaSmi.map(NvidiaSmi::query).orElse(List.of());
        for (int i = 0; i < engineGpus; i++) {
            int index = i;
            String name = smi.stream().filter(g -> g.index() == index).map(NvidiaSmi.Gpu::name).findFirst()
                    .orElse("CUDA GPU " + i + " (compute " + CudaUtils.getComputeCapability(i) + ")");
            MemoryUsage mem = CudaUtils.getGpuMemory(Device.gpu(i));
            out.add(new ComputeDevice("gpu:" + i, ComputeDevice.Kind.GPU, name, mem.getMax(),
                    mem.getMax() - mem.getUsed(), true, ""));
        }
        for (NvidiaSmi.Gpu g : smi) {
            if (g.index() >= engineGpus) {
                out.add(new ComputeDevice("gpu:" + g.index(), ComputeDevice.Kind.GPU, g.name(), g.totalBytes(),
                        g.freeBytes(), false, "the driver sees this GPU but the PyTorch build in use is CPU-only;"
                        + " install the CUDA build of pytorch-native to use it"));
            }
        }
        return out;
    }

    /** The device named by id ("cpu", "gpu", "gpu:1"); "auto" picks the usable GPU with most free memory. */
    public ComputeDevice pick(String id) throws DeviceException {
        List<ComputeDevice> all = devices();
        if (id == null || id.isBlank() || id.equals("auto")) {
            return all.stream().filter(d -> d.usable() && d.kind() == ComputeDevice.Kind.GPU)
                    .max(java.util.Comparator.comparingLong(ComputeDevice::freeBytes)).orElse(all.get(0));
        }
        String wanted = id.equals("gpu") ? "gpu:0" : id;
        for (ComputeDevice d : all) {
            if (d.id().equals(wanted)) {
                if (!d.usable()) {
                    throw new DeviceException("device " + wanted + " (" + d.name() + ") cannot be used: " + d.note());
                }
                return d;
            }
        }
        throw new DeviceException("no device '" + id + "'; this machine has "
                + all.stream().map(ComputeDevice::id).toList());
    }

    private static ComputeDevice cpu() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long total = os.getTotalMemorySize();
        long free = availableMemory().orElse(os.getFreeMemorySize());
        String name = cpuName().orElse(System.getProperty("os.arch")) + ", "
                + Runtime.getRuntime().availableProcessors() + " cores";
        return ComputeDevice.cpu(name, total, free);
    }

    /** Linux's MemAvailable counts reclaimable page cache, which "free" does not. */
    private static Optional<Long> availableMemory() {
        return procLine("/proc/meminfo", "MemAvailable:").map(v -> Long.parseLong(v.replace("kB", "").trim()) << 10);
    }

    private static Optional<String> cpuName() {
        return procLine("/proc/cpuinfo", "model name");
    }

    private static Optional<String> procLine(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
