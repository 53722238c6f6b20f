package org.openledger.studio.gpu.device;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceScanTest {

    @TempDir
    Path dir;

    @Test
    void findsTheCpuWithItsMemory() throws Exception {
        DeviceScan scan = new DeviceScan(Engine.getEngine("PyTorch"), Optional.empty());
        ComputeDevice cpu = scan.devices().get(0);
        assertEquals("cpu", cpu.id());
        assertTrue(cpu.totalBytes() > 256L << 20, "total " + cpu.totalBytes());
        assertTrue(cpu.freeBytes() > 0 && cpu.freeBytes() <= cpu.totalBytes());
        assertTrue(cpu.name().contains("cores"), cpu.name());
        assertEquals(ai.djl.Device.cpu(), cpu.djl());
        assertEquals("cpu", scan.pick("cpu").id());
        DeviceException e = assertThrows(DeviceException.class, () -> scan.pick("gpu:3"));
        assertTrue(e.getMessage().contains("cpu"), e.getMessage());
    }

    @Test
    void aGpuSeenOnlyByTheDriverIsListedButNotUsable() throws Exception {
        Path smi = dir.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\necho '0, NVIDIA H100 80GB HBM3, 81559, 80627'\n"
                + "echo '1, NVIDIA A10G, [N/A], [N/A]'\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        DeviceScan scan = new DeviceScan(Engine.getEngine("PyTorch"), Optional.of(new NvidiaSmi(smi)));
        List<ComputeDevice> devices = scan.devices();
        int engineGpus = Engine.getEngine("PyTorch").getGpuCount();
        if (engineGpus == 0) {
            ComputeDevice gpu = devices.stream().filter(d -> d.id().equals("gpu:0")).findFirst().orElseThrow();
            assertEquals("NVIDIA H100 80GB HBM3", gpu.name());
            assertEquals(81559L << 20, gpu.totalBytes());
            assertFalse(gpu.usable());
            DeviceException e = assertThrows(DeviceException.class, () -> scan.pick("gpu"));
            assertTrue(e.getMessage().contains("CPU-only"), e.getMessage());
            assertEquals("cpu", scan.pick("auto").id(), "auto never picks an unusable GPU");
        }
        assertEquals(1 + Math.max(engineGpus, 1), devices.size(), "the [N/A] line is skipped");
    }

    @Test
    void parsesNamesWithCommas() {
        List<NvidiaSmi.Gpu> gpus = NvidiaSmi.parse("0, Tesla T4, rev A, 15360, 15000\n\ngarbage\n");
        assertEquals(1, gpus.size());
        assertEquals("Tesla T4, rev A", gpus.get(0).name());
        assertEquals(15000L << 20, gpus.get(0).freeBytes());
    }
}
