package org.openledger.studio.attribution.span;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Yuta Mori's libdivsufsort (Debian {@code libdivsufsort-dev}), one of the fastest suffix sorters in C, run on
 * a byte text through a small C program compiled on the spot: the reference our SA-IS is measured against.
 * It sorts bytes only (alphabet 256), so the comparison is made on a byte text both sorters get.
 */
final class DivSufSortBaseline {

    /** The C harness: reads the text, times {@code divsufsort()} alone, writes the suffix array (int32 LE). */
    private static final String HARNESS = """
            #include <divsufsort.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <time.h>
            int main(int argc, char **argv) {
                FILE *in = fopen(argv[1], "rb");
                if (!in) return 2;
                fseek(in, 0, SEEK_END);
                long n = ftell(in);
                fseek(in, 0, SEEK_SET);
                sauchar_t *text = malloc(n > 0 ? n : 1);
                saidx_t *sa = malloc((n > 0 ? n : 1) * sizeof(saidx_t));
                if (!text || !sa || fread(text, 1, n, in) != (size_t) n) return 3;
                fclose(in);
                struct timespec a, b;
                clock_gettime(CLOCK_MONOTONIC, &a);
                saint_t rc = divsufsort(text, sa, (saidx_t) n);
                clock_gettime(CLOCK_MONOTONIC, &b);
                if (rc != 0) return 4;
                FILE *out = fopen(argv[2], "wb");
                if (!out || fwrite(sa, sizeof(saidx_t), n, out) != (size_t) n) return 5;
                fclose(out);
                printf("%lld\\n", (long long) (b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec));
                return 0;
            }
            """;

    /** The baseline's time on the text, and whether its suffix array equals ours; or why it could not run. */
    record Result(boolean ran, long nanos, boolean sameSuffixArray, String note) {
    }

    private DivSufSortBaseline() {
    }

    static Result run(byte[] text, int[] ourSuffixArray, Path workDir) {
        try {
            Path dir = Files.createTempDirectory(workDir, "divsufsort-");
            try {
                Path source = dir.resolve("harness.c");
                Path binary = dir.resolve("harness");
                Files.writeString(source, HARNESS, StandardCharsets.US_ASCII);
                String compiled = exec(List.of("cc", "-O2", "-o", binary.toString(), source.toString(), "-ldivsufsort"),
                        120);
                if (compiled != null) {
                    return new Result(false, 0, false, "not run: cannot build the harness with "
                            + "`cc -O2 harness.c -ldivsufsort` (install cc and libdivsufsort-dev): " + compiled);
                }
                Path input = dir.resolve("text.bin");
                Path output = dir.resolve("sa.bin");
                Files.write(input, text);
                Process process = new ProcessBuilder(binary.toString(), input.toString(), output.toString())
                        .redirectErrorStream(true).start();
                String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
                    return new Result(false, 0, false, "not run: harness failed (exit "
                            + (process.isAlive() ? "timeout" : process.exitValue()) + ") " + printed);
                }
                long nanos = Long.parseLong(printed);
                MappedFile sa = MappedFile.map(output);
                boolean same = sa.size() == 4L * ourSuffixArray.length;
                for (int r = 0; same && r < ourSuffixArray.length; r++) {
                    same = sa.getInt(4L * r) == ourSuffixArray[r];
                }
                return new Result(true, nanos, same, "");
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            return new Result(false, 0, false, "not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, 0, false, "not run: interrupted");
        }
    }

    /** Runs a command; null when it exits 0, else what it printed. */
    private static String exec(List<String> command, int timeoutSeconds) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "timed out";
            }
            return process.exitValue() == 0 ? null : printed;
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
