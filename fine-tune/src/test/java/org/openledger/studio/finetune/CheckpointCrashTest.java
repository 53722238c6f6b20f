package org.openledger.studio.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.safetensors.Tensor;
import org.openledger.studio.store.CrashPoint;

/**
 * Checkpoint writes halted between their two renames, twice in a row (the crash harness's finding, decision 0023):
 * the first halt leaves only {@code checkpoint.old} complete; the next write must not delete it before its own
 * checkpoint is in place, so a second halt there still leaves a checkpoint to resume from.
 */
class CheckpointCrashTest {

    @TempDir
    Path dir;

    /** Child JVM: writes checkpoints {@code args[1..]} (steps) into {@code args[0]}; its crash plan may halt it. */
    public static void main(String[] args) throws Exception {
        Path into = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            int step = Integer.parseInt(args[i]);
            checkpoint(step).write(into);
        }
    }

    static TrainingCheckpoint checkpoint(int step) {
        return new TrainingCheckpoint(step, 7L, Map.of("a", Tensor.of(new float[] {step, 1f}, 2)),
                Map.of("m", Tensor.of(new float[] {step}, 1)));
    }

    private int child(String crashAt, String... steps) throws Exception {
        var cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dstudio.crash.at=" + crashAt,
                "-cp", System.getProperty("java.class.path"), CheckpointCrashTest.class.getName(), dir.toString()));
        cmd.addAll(java.util.List.of(steps));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child did not finish");
        }
        return p.exitValue();
    }

    @Test
    void twoHaltsBetweenTheRenamesStillLeaveACheckpoint() throws Exception {
        // step 1 complete; step 2 halted after moving step 1 aside
        assertEquals(CrashPoint.KILLED, child("checkpoint.swap:2", "1", "2"));
        assertEquals(1, TrainingCheckpoint.read(dir).step(), "read from checkpoint.old");
        // resumed: step 3 halted between its renames too
        assertEquals(CrashPoint.KILLED, child("checkpoint.swap:1", "3"));
        TrainingCheckpoint left = TrainingCheckpoint.read(dir);
        assertNotNull(left, "no checkpoint left after two halts: " + Files.readString(dir.resolve("child.log")));
        assertEquals(1, left.step());
        assertEquals(1f, left.trainable().get("a").values()[0]);
        // and an unhindered write afterwards puts the new one in place
        assertEquals(0, child("checkpoint.swap:9", "4"));
        assertEquals(4, TrainingCheckpoint.read(dir).step());
        assertEquals(false, Files.exists(dir.resolve("checkpoint.old")));
    }
}
