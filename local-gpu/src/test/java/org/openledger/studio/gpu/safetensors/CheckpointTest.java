package org.openledger.studio.gpu.safetensors;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path dir;

    private static Map<String, Tensor> tensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            float[] v = new float[10];
            for (int k = 0; k < v.length; k++) {
                v[k] = i * 100 + k;
            }
            m.put("layer." + i + ".weight", Tensor.of(v, 2, 5));
        }
        return m;
    }

    @Test
    void shardedIndexReadsEveryTensorFromItsShard() throws IOException {
        Checkpoint.writeSharded(dir, tensors(), DType.F16, 20);
        assertTrue(Files.exists(dir.resolve("model-00001-of-00005.safetensors")));
        assertTrue(Checkpoint.existsIn(dir));
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(5, c.names().size());
            assertArrayEquals(tensors().get("layer.3.weight").values(), c.read("layer.3.weight").values());
            assertEquals(DType.F16, c.entry("layer.0.weight").dtype());
        }
    }

    @Test
    void singleFileWinsOverIndex() throws IOException {
        SafetensorsWriter.write(dir.resolve(Checkpoint.SINGLE_FILE), tensors());
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertEquals(tensors().keySet().stream().toList(), c.names());
        }
    }

    @Test
    void indexNamingAMissingShardOrTensorIsRefused() throws IOException {
        Checkpoint.writeSharded(dir, tensors(), DType.F32, 100);
        Files.delete(dir.resolve("model-00002-of-00003.safetensors"));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Checkpoint.open(dir));
        assertEquals(SafetensorsException.Reason.MISSING_FILE, e.reason());

        Files.writeString(dir.resolve(Checkpoint.INDEX_FILE),
                "{\"weight_map\":{\"nope\":\"model-00001-of-00003.safetensors\"}}");
        e = assertThrows(SafetensorsException.class, () -> Checkpoint.open(dir));
        assertEquals(SafetensorsException.Reason.MISSING_TENSOR, e.reason());

        Files.writeString(dir.resolve(Checkpoint.INDEX_FILE), "{\"weight_map\":{\"x\":\"../../etc/passwd\"}}");
        e = assertThrows(SafetensorsException.class, () -> Checkpoint.open(dir));
        assertEquals(SafetensorsException.Reason.MISSING_FILE, e.reason());
    }

    @Test
    void emptyFolderSaysWhatIsMissing() throws IOException {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Checkpoint.open(dir));
        assertTrue(e.getMessage().contains("model.safetensors"));
        Files.writeString(dir.resolve("pytorch_model.bin"), "pickle");
        e = assertThrows(SafetensorsException.class, () -> Checkpoint.open(dir));
        assertTrue(e.getMessage().contains("convert it to safetensors"), e.getMessage());
    }
}
