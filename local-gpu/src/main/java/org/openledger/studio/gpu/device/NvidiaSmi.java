package org.openledger.studio.gpu.device;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Asks {@code nvidia-smi} for the GPUs the driver sees. This works even when the PyTorch build on the class
 * path is CPU-only, which is how a user learns that a GPU exists but is not being used.
 */
public final class NvidiaSmi {

    static final String QUERY = "--query-gpu=index,name,memory.total,memory.free";

    /** One line of {@code nvidia-smi --query-gpu=index,name,memory.total,memory.free --format=csv,noheader,nounits}. */
    public record Gpu(int index, String name, long totalBytes, long freeBytes) {
    }

    private final Path executable;

    public NvidiaSmi(Path executable) {
        this.executable = executable;
    }

    /** Finds nvidia-smi on the PATH, if the driver is installed. */
    public static Optional<NvidiaSmi> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, "nvidia-smi");
            if (Files.isExecutable(p)) {
                return Optional.of(new NvidiaSmi(p));
            }
        }
        return Optional.empty();
    }

    /** Runs the query with a timeout; a driver that hangs or fails yields an empty list, not an error. */
    public List<Gpu> query() {
        try {
            Process p = new ProcessBuilder(executable.toString(), QUERY, "--format=csv,noheader,nounits")
                    .redirectErrorStream(true).start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return List.of();
            }
            return parse(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** Parses the CSV (memory in MiB); lines that do not parse are skipped. */
    public static List<Gpu> parse(String csv) {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : csv.split("\\R")) {
            String[] f = line.split(",");
            if (f.length < 4) {
                continue;
            }
            try {
                int index = Integer.parseInt(f[0].trim());
                long total = Long.parseLong(f[f.length - 2].trim()) << 20;
                long free = Long.parseLong(f[f.length - 1].trim()) << 20;
                // a GPU name may itself contain commas
                String name = String.join(",", java.util.Arrays.copyOfRange(f, 1, f.length - 2)).trim();
                gpus.add(new Gpu(index, name, total, free));
            } catch (NumberFormatException e) {
                // "[N/A]" on some virtual GPUs: not a GPU we can plan for
            }
        }
        return gpus;
    }
}
