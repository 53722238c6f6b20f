package org.openledger.studio.gpu.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.openledger.studio.gpu.safetensors.SafetensorsException.Reason.*;

/**
 * The weights of a model folder in Hugging Face layout: either {@code model.safetensors} or a
 * {@code model.safetensors.index.json} whose {@code weight_map} names the shard that holds each tensor.
 */
public final class Checkpoint implements AutoCloseable {

    public static final String SINGLE_FILE = "model.safetensors";
    public static final String INDEX_FILE = "model.safetensors.index.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, SafetensorsFile> fileOf;
    private final List<SafetensorsFile> files;

    private Checkpoint(Map<String, SafetensorsFile> fileOf, List<SafetensorsFile> files) {
        this.fileOf = fileOf;
        this.files = files;
    }

    public static boolean existsIn(Path dir) {
        return Files.isRegularFile(dir.resolve(SINGLE_FILE)) || Files.isRegularFile(dir.resolve(INDEX_FILE));
    }

    public static Checkpoint open(Path dir) throws IOException {
        return open(dir, SINGLE_FILE, INDEX_FILE);
    }

    /** Opens {@code single} if present, else the sharded {@code index}. */
    public static Checkpoint open(Path dir, String single, String index) throws IOException {
        if (Files.isRegularFile(dir.resolve(single))) {
            SafetensorsFile f = SafetensorsFile.open(dir.resolve(single));
            Map<String, SafetensorsFile> map = new LinkedHashMap<>();
            for (String n : f.names()) {
                map.put(n, f);
            }
            return new Checkpoint(map, List.of(f));
        }
        Path indexPath = dir.resolve(index);
        if (!Files.isRegularFile(indexPath)) {
            boolean pickle = Files.exists(dir.resolve("pytorch_model.bin"))
                    || Files.exists(dir.resolve("pytorch_model.bin.index.json"));
            throw new SafetensorsException(MISSING_FILE, dir + " has neither " + single + " nor " + index
                    + (pickle ? "; its pytorch_model.bin is a pickle, which is never loaded: convert it to safetensors"
                    : ""));
        }
        JsonNode root;
        try {
            root = JSON.readTree(indexPath.toFile());
        } catch (IOException e) {
            throw new SafetensorsException(BAD_HEADER, indexPath + " is not valid JSON: " + e.getMessage());
        }
        JsonNode weightMap = root == null ? null : root.get("weight_map");
        if (weightMap == null || !weightMap.isObject()) {
            throw new SafetensorsException(BAD_HEADER, indexPath + " has no weight_map object");
        }
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String shardName = e.getValue().asText();
                Path shardPath = dir.resolve(shardName).normalize();
                if (!shardPath.startsWith(dir.normalize()) || !Files.isRegularFile(shardPath)) {
                    throw new SafetensorsException(MISSING_FILE, indexPath + " names shard '" + shardName
                            + "' for tensor '" + e.getKey() + "', which is not a file in " + dir);
                }
                SafetensorsFile shard = shards.get(shardName);
                if (shard == null) {
                    shard = SafetensorsFile.open(shardPath);
                    shards.put(shardName, shard);
                }
                if (!shard.contains(e.getKey())) {
                    throw new SafetensorsException(MISSING_TENSOR, indexPath + " says tensor '" + e.getKey()
                            + "' is in " + shardName + ", but it is not there");
                }
                fileOf.put(e.getKey(), shard);
            }
        } catch (IOException | RuntimeException ex) {
            for (SafetensorsFile f : shards.values()) {
                f.close();
            }
            throw ex;
        }
        return new Checkpoint(fileOf, new ArrayList<>(shards.values()));
    }

    /**
     * Writes tensors as shards of at most {@code maxShardBytes} each (a tensor is never split) plus the index,
     * named the way transformers names them: model-00001-of-00003.safetensors.
     */
    public static void writeSharded(Path dir, Map<String, Tensor> tensors, DType dtype, long maxShardBytes)
            throws IOException {
        List<Map<String, Tensor>> shards = new ArrayList<>();
        Map<String, Tensor> current = new LinkedHashMap<>();
        long currentBytes = 0;
        long total = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long bytes = (long) e.getValue().values().length * dtype.bytes();
            if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
                shards.add(current);
                current = new LinkedHashMap<>();
                currentBytes = 0;
            }
            current.put(e.getKey(), e.getValue());
            currentBytes += bytes;
            total += bytes;
        }
        shards.add(current);
        Files.createDirectories(dir);
        var index = JSON.createObjectNode();
        index.putObject("metadata").put("total_size", total);
        var weightMap = index.putObject("weight_map");
        for (int i = 0; i < shards.size(); i++) {
            String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            SafetensorsWriter.write(dir.resolve(name), shards.get(i), dtype, Map.of("format", "pt"));
            for (String t : shards.get(i).keySet()) {
                weightMap.put(t, name);
            }
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(INDEX_FILE).toFile(), index);
    }

    public List<String> names() {
        return List.copyOf(fileOf.keySet());
    }

    public boolean contains(String name) {
        return fileOf.containsKey(name);
    }

    public TensorEntry entry(String name) throws SafetensorsException {
        return file(name).entry(name);
    }

    public Tensor read(String name) throws IOException {
        return file(name).read(name);
    }

    private SafetensorsFile file(String name) throws SafetensorsException {
        SafetensorsFile f = fileOf.get(name);
        if (f == null) {
            throw new SafetensorsException(MISSING_TENSOR, "the checkpoint has no tensor named '" + name + "'");
        }
        return f;
    }

    @Override
    public void close() throws IOException {
        for (SafetensorsFile f : files) {
            f.close();
        }
    }
}
