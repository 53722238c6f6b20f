package org.openledger.studio.finetune;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openledger.studio.gpu.safetensors.DType;
import org.openledger.studio.gpu.safetensors.SafetensorsFile;
import org.openledger.studio.gpu.safetensors.SafetensorsWriter;
import org.openledger.studio.gpu.safetensors.Tensor;
import org.openledger.studio.store.CrashPoint;
import org.openledger.studio.store.Folders;

/**
 * A resumable training state in {@code DIR/checkpoint/}: the trained arrays ({@code trainable.safetensors}, F32),
 * the optimiser's moments ({@code optimizer.safetensors}) and {@code state.json} (steps done, seed). A new
 * checkpoint is written into {@code checkpoint.tmp} and swapped in by renames, so a crash or a full disk while
 * writing leaves the previous checkpoint intact.
 */
public record TrainingCheckpoint(int step, long seed, Map<String, Tensor> trainable, Map<String, Tensor> optimizer) {

    static final String CURRENT = "checkpoint";

    /** Puts a checkpoint in place under a folder; {@link TrainingCheckpoint#write} is the real one. */
    @FunctionalInterface
    public interface Writer {
        void write(TrainingCheckpoint checkpoint, Path dir) throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public void write(Path dir) throws IOException {
        Path tmp = dir.resolve(CURRENT + ".tmp");
        Path current = dir.resolve(CURRENT);
        Path old = dir.resolve(CURRENT + ".old");
        Folders.deleteTree(tmp);
        Files.createDirectories(tmp);
        SafetensorsWriter.write(tmp.resolve("trainable.safetensors"), trainable, DType.F32, Map.of("format", "pt"));
        SafetensorsWriter.write(tmp.resolve("optimizer.safetensors"), optimizer, DType.F32, Map.of("format", "pt"));
        Files.writeString(tmp.resolve("state.json"),
                JSON.writeValueAsString(Map.of("step", step, "seed", seed)));
        if (!Files.isRegularFile(current.resolve("state.json")) && Files.isRegularFile(old.resolve("state.json"))) {
            // an earlier write stopped between its renames: old is the only complete checkpoint, so it goes back in
            // place before anything is deleted (deleting it here left no checkpoint at all until the rename below)
            Folders.deleteTree(current);
            Files.move(old, current, StandardCopyOption.ATOMIC_MOVE);
        }
        Folders.deleteTree(old);
        if (Files.exists(current)) {
            Files.move(current, old, StandardCopyOption.ATOMIC_MOVE);
        }
        CrashPoint.reach("checkpoint.swap"); // between the two renames: only the old checkpoint is complete
        Files.move(tmp, current, StandardCopyOption.ATOMIC_MOVE);
        Folders.deleteTree(old);
    }

    /** The last complete checkpoint under {@code dir}, or null when there is none. */
    public static TrainingCheckpoint read(Path dir) throws IOException {
        Path current = dir.resolve(CURRENT);
        if (!Files.isRegularFile(current.resolve("state.json"))) {
            current = dir.resolve(CURRENT + ".old"); // a crash between the two renames
            if (!Files.isRegularFile(current.resolve("state.json"))) {
                return null;
            }
        }
        JsonNode state = JSON.readTree(current.resolve("state.json").toFile());
        return new TrainingCheckpoint(state.path("step").asInt(), state.path("seed").asLong(),
                tensors(current.resolve("trainable.safetensors")), tensors(current.resolve("optimizer.safetensors")));
    }

    private static Map<String, Tensor> tensors(Path file) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (SafetensorsFile c = SafetensorsFile.open(file)) {
            for (String name : c.names()) {
                out.put(name, c.read(name));
            }
        }
        return out;
    }
}
