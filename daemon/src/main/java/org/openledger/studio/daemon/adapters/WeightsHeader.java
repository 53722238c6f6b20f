package org.openledger.studio.daemon.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.Map;

/**
 * The head of an uploaded {@code adapter_model.safetensors} (8-byte little-endian length, then the JSON header),
 * read before any tensor byte: the shapes tell what the adapter takes on the device as float32, so a push too large
 * for the device budget is refused before its weights are received, whatever its Content-Length (or none, when
 * chunked) and its dtype (an F16/BF16 file widens to twice its size). A head that cannot be read here is left to
 * the commit's full check.
 */
final class WeightsHeader {

    /**
     * The most of a header read ahead (an adapter's is a few KiB; the format allows 100 MiB): a longer one is left
     * to the commit, so that a declared length cannot make the node hold much before it checks anything.
     */
    private static final long MAX_HEADER_BYTES = 16L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param whole       the body as it came, the head included
     * @param deviceBytes float32 bytes of every tensor the header lists, {@link Long#MAX_VALUE} when that overflows,
     *                    -1 when the head is not a readable safetensors header
     */
    record Peek(InputStream whole, long deviceBytes) {
    }

    private WeightsHeader() {
    }

    static Peek peek(InputStream body) throws IOException {
        byte[] length = readUpTo(body, 8);
        if (length.length < 8) {
            return new Peek(new ByteArrayInputStream(length), -1);
        }
        long n = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n <= 0 || n > MAX_HEADER_BYTES) {
            return new Peek(new SequenceInputStream(new ByteArrayInputStream(length), body), -1);
        }
        byte[] header = readUpTo(body, (int) n);
        InputStream whole = new SequenceInputStream(new ByteArrayInputStream(length),
                new SequenceInputStream(new ByteArrayInputStream(header), body));
        if (header.length < n) {
            return new Peek(whole, -1);
        }
        return new Peek(whole, float32Bytes(header));
    }

    /**
     * Up to {@code n} bytes, fewer at the end of the stream. Never asks for zero bytes: the JDK's chunked request
     * stream then waits for the next chunk (which {@code readNBytes} does once it has all it wanted).
     */
    private static byte[] readUpTo(InputStream in, int n) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(b, off, n - off);
            if (r < 0) {
                return java.util.Arrays.copyOf(b, off);
            }
            off += r;
        }
        return b;
    }

    private static long float32Bytes(byte[] header) {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (IOException e) {
            return -1;
        }
        if (root == null || !root.isObject()) {
            return -1;
        }
        long elements = 0;
        try {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode shape = e.getValue().path("shape");
                if (e.getKey().equals("__metadata__") || !shape.isArray()) {
                    continue;
                }
                long count = 1;
                for (JsonNode dim : shape) {
                    if (!dim.canConvertToLong() || dim.asLong() < 0) {
                        return -1;
                    }
                    count = Math.multiplyExact(count, dim.asLong());
                }
                elements = Math.addExact(elements, count);
            }
            return Math.multiplyExact(elements, 4L);
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }
}
