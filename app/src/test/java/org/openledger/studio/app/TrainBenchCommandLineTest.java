package org.openledger.studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code studio bench train} as a user runs it, at settings small enough for a test: a table, or one-line errors. */
class TrainBenchCommandLineTest {

    @TempDir
    Path dir;

    @Test
    void measuresBothModelsFullAndLora() throws Exception {
        // one PyTorch thread: on a busy shared machine two threads spinning on each other make steps far slower
        Process p = StudioProcess.builder(dir, List.of("-Dstudio.log.level=WARN", "-Dai.djl.pytorch.num_threads=1",
                                "-Dai.djl.pytorch.num_interop_threads=1"), "bench", "train", "--model", "both",
                        "--steps", "2", "--warmup", "1", "--batch", "1", "--context", "8", "--lora", "qv")
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile())
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("studio bench train did not finish");
        }
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out + err);
        for (String model : List.of("bundled studio-tiny-en", "random d512")) {
            for (String mode : List.of("full fine-tuning", "LoRA r=8 q,v")) {
                String row = out.lines().filter(l -> l.startsWith("| " + model + " | " + mode + " |")).findFirst()
                        .orElseThrow(() -> new AssertionError("no row for " + model + ", " + mode + ":\n" + out));
                String[] cells = row.substring(1, row.length() - 1).split("\\|");
                assertEquals(10, cells.length, row);
                for (int c : new int[] {2, 3, 4, 5, 8, 9}) { // params, step ms, tok/s, step ratio, exact MiB, ratio
                    assertTrue(number(cells[c]) > 0, "column " + c + " of " + row);
                }
                assertTrue(cells[6].trim().equals("n/a") || number(cells[6]) >= 0, row); // measured RSS growth, may be 0
                if (mode.startsWith("full")) {
                    assertEquals(1.0, number(cells[5]), 1e-9, "full fine-tuning is the baseline: " + row);
                } else {
                    assertTrue(number(cells[8]) < number(out.lines()
                            .filter(l -> l.startsWith("| " + model + " | full fine-tuning |")).findFirst()
                            .orElseThrow().split("\\|")[9]), "LoRA keeps less state than full: " + row);
                }
            }
        }
        assertTrue(out.contains("random d512: 4 layers x 512, 8 heads (8 kv), SwiGLU 1376, vocab 4096"), out);
    }

    @Test
    void badOptionsFailInOneLine() throws Exception {
        for (String[] args : List.of(new String[] {"--steps", "0"}, new String[] {"--model", "gpt"},
                new String[] {"--lora", "qk"}, new String[] {"--model", "bundled", "--context", "4096"})) {
            String[] cmd = new String[args.length + 2];
            cmd[0] = "bench";
            cmd[1] = "train";
            System.arraycopy(args, 0, cmd, 2, args.length);
            StudioProcess.Result r = StudioProcess.run(dir, cmd);
            assertEquals(1, r.code(), String.join(" ", args) + ": " + r.out() + r.err());
            assertEquals(1, r.errLines().size(), r.err());
            assertTrue(r.err().startsWith("studio bench train: "), r.err());
            assertTrue(r.out().isEmpty(), r.out());
        }
    }

    private static double number(String cell) {
        return Double.parseDouble(cell.trim().replace(",", ""));
    }
}
