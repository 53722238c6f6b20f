package org.openledger.studio.gpu.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.openledger.studio.gpu.safetensors.SafetensorsException.Reason.*;

/**
 * Reads one {@code .safetensors} file: 8-byte little-endian header length, a JSON header, then the raw data.
 * The whole header is validated on open so that a corrupt file fails with a message before any tensor is
 * touched; tensors are then memory-mapped one at a time (each below 2 GiB, the limit of a Java array anyway).
 */
public final class SafetensorsFile implements AutoCloseable {

    /** Real headers are a few hundred KB; anything near this is a corrupt length field, not a header. */
    private static final long MAX_HEADER_BYTES = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorEntry> entries;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, TensorEntry> entries,
                            Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    public static SafetensorsFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < 8) {
                throw new SafetensorsException(TRUNCATED, path + ": " + size
                        + " bytes, too short for the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen < 2 || headerLen > size - 8) {
                throw new SafetensorsException(HEADER_TOO_LARGE, path + ": header length " + Long.toUnsignedString(headerLen)
                        + " does not fit in a file of " + size + " bytes");
            }
            if (headerLen > MAX_HEADER_BYTES) {
                throw new SafetensorsException(HEADER_TOO_LARGE, path + ": header length " + headerLen
                        + " is above the " + MAX_HEADER_BYTES + "-byte limit");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(channel, header, 8);
            String text = new String(header.array(), StandardCharsets.UTF_8);
            long dataStart = 8 + headerLen;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TensorEntry> entries = parseHeader(path, text, size - dataStart, metadata);
            return new SafetensorsFile(path, channel, dataStart, entries, metadata);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static Map<String, TensorEntry> parseHeader(Path path, String text, long dataLen,
                                                        Map<String, String> metadata) throws SafetensorsException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(BAD_HEADER, path + ": header is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsException(BAD_HEADER, path + ": header is not a JSON object");
        }
        Map<String, TensorEntry> entries = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode node = field.getValue();
            if (name.equals("__metadata__")) {
                if (node.isObject()) {
                    node.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                }
                continue;
            }
            entries.put(name, parseEntry(path, name, node));
        }
        checkLayout(path, entries, dataLen);
        return Collections.unmodifiableMap(entries);
    }

    private static TensorEntry parseEntry(Path path, String name, JsonNode node)
            throws SafetensorsException {
        String where = path + ": tensor '" + name + "'";
        if (!node.isObject() || !node.path("dtype").isTextual() || !node.path("shape").isArray()
                || !node.path("data_offsets").isArray() || node.path("data_offsets").size() != 2) {
            throw new SafetensorsException(BAD_HEADER, where + " needs dtype, shape and two data_offsets");
        }
        DType dtype = DType.parse(node.get("dtype").asText(), name);
        JsonNode shapeNode = node.get("shape");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.asLong() < 0) {
                throw new SafetensorsException(BAD_HEADER, where + " has a bad dimension " + d);
            }
            shape[i] = d.asLong();
        }
        JsonNode offs = node.get("data_offsets");
        if (!offs.get(0).isIntegralNumber() || !offs.get(1).isIntegralNumber()) {
            throw new SafetensorsException(BAD_HEADER, where + " has non-integer data_offsets");
        }
        long begin = offs.get(0).asLong();
        long end = offs.get(1).asLong();
        if (begin < 0 || end < begin) {
            throw new SafetensorsException(OFFSETS_OUT_OF_RANGE, where + " has offsets [" + begin + ", " + end + "]");
        }
        long elements;
        try {
            elements = Tensor.elementCount(shape);
        } catch (ArithmeticException e) {
            throw new SafetensorsException(SHAPE_MISMATCH, where + " has a shape too large to count");
        }
        if (elements > Integer.MAX_VALUE - 8) {
            throw new SafetensorsException(SHAPE_MISMATCH, where + " has " + elements + " elements; tensors above "
                    + (Integer.MAX_VALUE - 8) + " elements are not supported (split the weight across shards)");
        }
        if (elements * dtype.bytes() != end - begin) {
            throw new SafetensorsException(SHAPE_MISMATCH, where + " shape " + java.util.Arrays.toString(shape)
                    + " of " + dtype + " needs " + elements * dtype.bytes() + " bytes but offsets span "
                    + (end - begin));
        }
        return new TensorEntry(name, dtype, shape, begin, end);
    }

    /**
     * Offsets must stay inside the data section and must not overlap. When the header describes a tight layout
     * that the data section is too short for, the file was cut off (a failed download); otherwise an offset is
     * simply wrong.
     */
    private static void checkLayout(Path path, Map<String, TensorEntry> entries, long dataLen)
            throws SafetensorsException {
        List<TensorEntry> sorted = new ArrayList<>(entries.values());
        sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long sum = 0;
        long maxEnd = 0;
        for (TensorEntry e : sorted) {
            sum += e.byteCount();
            maxEnd = Math.max(maxEnd, e.end());
        }
        if (maxEnd > dataLen) {
            if (sum == maxEnd) {
                throw new SafetensorsException(TRUNCATED, path + ": the header needs " + maxEnd
                        + " bytes of tensor data but the file holds only " + dataLen + " (truncated file)");
            }
            TensorEntry bad = sorted.stream().filter(e -> e.end() > dataLen).findFirst().orElseThrow();
            throw new SafetensorsException(OFFSETS_OUT_OF_RANGE, path + ": tensor '" + bad.name() + "' ends at byte "
                    + bad.end() + " but the data section has only " + dataLen + " bytes");
        }
        for (int i = 1; i < sorted.size(); i++) {
            TensorEntry prev = sorted.get(i - 1);
            TensorEntry cur = sorted.get(i);
            if (cur.begin() < prev.end() && cur.byteCount() > 0 && prev.byteCount() > 0) {
                throw new SafetensorsException(OVERLAPPING, path + ": tensors '" + prev.name() + "' and '"
                        + cur.name() + "' overlap at bytes [" + cur.begin() + ", " + prev.end() + ")");
            }
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new SafetensorsException(TRUNCATED, "unexpected end of file");
            }
            pos += n;
        }
    }

    public Path path() {
        return path;
    }

    /** Tensor names in header order. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    public TensorEntry entry(String name) throws SafetensorsException {
        TensorEntry e = entries.get(name);
        if (e == null) {
            throw new SafetensorsException(MISSING_TENSOR, path + ": no tensor named '" + name + "'");
        }
        return e;
    }

    /** Reads a floating tensor widened to float32. */
    public Tensor read(String name) throws IOException {
        TensorEntry e = entry(name);
        if (!e.dtype().isFloat()) {
            throw new SafetensorsException(UNKNOWN_DTYPE, path + ": tensor '" + name + "' is " + e.dtype()
                    + ", expected a floating type");
        }
        ByteBuffer buf = map(e);
        int n = (int) e.elementCount();
        float[] out = new float[n];
        switch (e.dtype()) {
            case F32 -> buf.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloats.f16ToFloat(buf.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = HalfFloats.bf16ToFloat(buf.getShort(2 * i));
                }
            }
            default -> throw new IllegalStateException(e.dtype().name());
        }
        return new Tensor(e.shape().clone(), out);
    }

    /** Reads an I64 tensor. */
    public long[] readLongs(String name) throws IOException {
        TensorEntry e = entry(name);
        if (e.dtype() != DType.I64) {
            throw new SafetensorsException(UNKNOWN_DTYPE, path + ": tensor '" + name + "' is " + e.dtype()
                    + ", expected I64");
        }
        long[] out = new long[(int) e.elementCount()];
        map(e).asLongBuffer().get(out);
        return out;
    }

    private ByteBuffer map(TensorEntry e) throws IOException {
        if (e.byteCount() == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.byteCount())
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
