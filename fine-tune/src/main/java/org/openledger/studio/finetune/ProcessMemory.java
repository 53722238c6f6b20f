package org.openledger.studio.finetune;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's resident memory as Linux reports it in {@code /proc/self/status}: the current resident set
 * ({@code VmRSS}) and its high-water mark ({@code VmHWM}), which {@link #resetPeak()} brings back down to the
 * current size (writing 5 to {@code /proc/self/clear_refs}, Linux 4.0+). Native memory (PyTorch's tensors) is
 * counted, which the JVM's own heap figures miss. Elsewhere every figure is -1.
 */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ProcessMemory() {
    }

    /** Resident set size in bytes, or -1 where /proc is not there. */
    public static long residentBytes() {
        return field("VmRSS:");
    }

    /** Peak resident set size in bytes since the process started or the last {@link #resetPeak()}; -1 if unknown. */
    public static long peakBytes() {
        return field("VmHWM:");
    }

    /** Sets the peak back to the current resident size; false where the kernel does not allow it. */
    public static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024; // the kernel writes kB (KiB)
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
