package org.openledger.studio.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded mutations of valid inputs. Each mutant stacks one to four edits chosen by the input's {@link
 * FuzzTarget.Format}: JSON is edited as a tree (a value swapped for an extreme, a node dropped, copied or buried in
 * deep nesting) so that most mutants still parse and reach the checks behind the JSON reader; text and bytes get
 * token, line and byte edits. The same seed, input and random stream always give the same mutant.
 */
public final class Mutator {

    /** Values that break parsers: integer edges, floats at and past their limits, empties, odd text. */
    static final List<String> EXTREME_NUMBERS = List.of("0", "-0", "-1", "1", "2147483647", "2147483648",
            "-2147483648", "-2147483649", "4294967296", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "18446744073709551616", "1e308", "-1e308", "1e309", "1e-320", "0.5", "-0.0",
            "NaN", "Infinity", "-Infinity", "1" + "0".repeat(400), "65536", "255", "256", "32768");
    static final List<String> EXTREME_TEXT = List.of("", " ", "null", "\u0000", "\uFFFD", "\uD800", "\uDFFF",
            "\u202E", "\uD83D\uDE00", "..", "../../etc/passwd", "%s%n", "{{", "}}", "{%", "%}", "\\", "\"", "\n",
            "\r\n", "'", "0x", "0x" + "f".repeat(64), "ÿ", "A".repeat(70_000));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final List<byte[]> seeds;

    /** @param seeds the target's seeds, for splicing */
    public Mutator(List<byte[]> seeds) {
        this.seeds = List.copyOf(seeds);
    }

    /**
     * The largest mutant made: edits stop before an input would grow past it. Repeating a value thousands of times,
     * edit after edit, otherwise grows an input geometrically until the fuzzer itself runs out of memory (seen after
     * 300,000 inputs of a long campaign).
     */
    public static final int MAX_INPUT_BYTES = 4 << 20;

    public byte[] mutate(byte[] seed, FuzzTarget.Format format, Random r) {
        byte[] out = seed;
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits; i++) {
            byte[] next = switch (format) {
                case JSON -> r.nextInt(4) == 0 ? text(out, r) : json(out, r);
                case TEXT -> r.nextInt(3) == 0 ? bytes(out, r) : text(out, r);
                case BINARY -> r.nextInt(4) == 0 ? text(out, r) : bytes(out, r);
            };
            if (next.length > MAX_INPUT_BYTES) {
                break;
            }
            out = next;
        }
        return out;
    }

    /** A JSON mutant; input that is not JSON any more gets a text edit instead. */
    public byte[] json(byte[] in, Random r) {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (Exception e) {
            return text(in, r);
        }
        if (root == null || !root.isContainerNode()) {
            return text(in, r);
        }
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        if (slots.isEmpty()) {
            return text(in, r);
        }
        Slot s = slots.get(r.nextInt(slots.size()));
        String rawReplacement = null;
        switch (r.nextInt(9)) {
            case 0, 1 -> {
                String n = pick(EXTREME_NUMBERS, r);
                if (n.equals("NaN") || n.contains("Infinity")) {
                    rawReplacement = n; // not JSON: written raw, some readers take it
                } else {
                    s.set(NODES.numberNode(new java.math.BigDecimal(n)));
                }
            }
            case 2 -> s.set(NODES.textNode(pick(EXTREME_TEXT, r)));
            case 3 -> s.set(r.nextBoolean() ? NODES.nullNode() : NODES.booleanNode(r.nextBoolean()));
            case 4 -> s.remove();
            case 5 -> s.set(slots.get(r.nextInt(slots.size())).value().deepCopy());
            case 6 -> s.set(r.nextBoolean() ? NODES.arrayNode() : NODES.objectNode());
            case 7 -> {
                // the same value a thousand times over: huge lists
                ArrayNode many = NODES.arrayNode();
                JsonNode v = s.value();
                // no more copies than keep the whole under the cap (the value is at most the input's size)
                int n = (int) Math.max(1, Math.min(1 << (4 + r.nextInt(8)), MAX_INPUT_BYTES / Math.max(1, in.length)));
                for (int i = 0; i < n; i++) {
                    many.add(v.deepCopy());
                }
                s.set(many);
            }
            default -> rawReplacement = nested(r.nextBoolean() ? 64 : 5000, s.value());
        }
        String marker = "\"@@fuzz@@\"";
        if (rawReplacement != null) {
            s.set(NODES.textNode("@@fuzz@@"));
        }
        String text;
        try {
            text = JSON.writeValueAsString(root);
        } catch (Exception e) {
            return text(in, r);
        }
        if (rawReplacement != null) {
            text = text.replace(marker, rawReplacement);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Text edits: a number token for an extreme, a token inserted or repeated, lines dropped or swapped. */
    public byte[] text(byte[] in, Random r) {
        String s = new String(in, StandardCharsets.ISO_8859_1);
        switch (r.nextInt(7)) {
            case 0 -> {
                List<int[]> numbers = numberSpans(s);
                if (!numbers.isEmpty()) {
                    int[] span = numbers.get(r.nextInt(numbers.size()));
                    s = s.substring(0, span[0]) + pick(EXTREME_NUMBERS, r) + s.substring(span[1]);
                } else {
                    s = insertAt(s, pick(EXTREME_NUMBERS, r), r);
                }
            }
            case 1 -> s = insertAt(s, utf8AsLatin1(pick(EXTREME_TEXT, r)), r);
            case 2 -> {
                String[] lines = s.split("\n", -1);
                if (lines.length > 1) {
                    int a = r.nextInt(lines.length);
                    int b = r.nextInt(lines.length);
                    String t = lines[a];
                    lines[a] = lines[b];
                    lines[b] = r.nextBoolean() ? t : "";
                    s = String.join("\n", lines);
                } else {
                    s = insertAt(s, "\n", r);
                }
            }
            case 3 -> s = insertAt(s, r.nextBoolean() ? "[".repeat(1 + r.nextInt(3000)) : "{\"a\":".repeat(200), r);
            case 4 -> {
                if (!s.isEmpty()) {
                    int at = r.nextInt(s.length());
                    int len = 1 + r.nextInt(Math.min(64, s.length() - at));
                    String chunk = s.substring(at, at + len);
                    s = s.substring(0, at) + chunk.repeat(2 + r.nextInt(r.nextBoolean() ? 8 : 2000)) + s.substring(at);
                }
            }
            case 5 -> {
                String punct = "{}[]\",:'<>%#\\\n\t ";
                s = insertAt(s, String.valueOf(punct.charAt(r.nextInt(punct.length()))), r);
            }
            default -> {
                return bytes(in, r);
            }
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Byte edits: flips, interesting bytes, integers at their edges (LE and BE), cuts, repeats and splices. */
    public byte[] bytes(byte[] in, Random r) {
        byte[] b = in.clone();
        switch (r.nextInt(9)) {
            case 0 -> {
                if (b.length > 0) {
                    int at = r.nextInt(b.length);
                    b[at] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> {
                if (b.length > 0) {
                    byte[] interesting = {0, -1, 0x7f, (byte) 0x80, 1, '"', '{', '0'};
                    b[r.nextInt(b.length)] = interesting[r.nextInt(interesting.length)];
                }
            }
            case 2 -> {
                if (b.length >= 8) {
                    long[] edges = {0, -1, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 31, 1L << 32, Long.MAX_VALUE,
                            Long.MIN_VALUE, b.length, b.length + 1L, b.length - 8L, 1L << 40};
                    long v = edges[r.nextInt(edges.length)];
                    int width = r.nextBoolean() ? 8 : 4;
                    int at = r.nextInt(4) == 0 ? 0 : r.nextInt(b.length - width + 1);
                    boolean little = r.nextBoolean();
                    for (int i = 0; i < width; i++) {
                        int shift = 8 * (little ? i : width - 1 - i);
                        b[at + i] = (byte) (v >>> shift);
                    }
                }
            }
            case 3 -> b = java.util.Arrays.copyOf(b, b.length == 0 ? 0 : r.nextInt(b.length)); // truncate
            case 4 -> {
                if (b.length > 1) { // delete a range
                    int at = r.nextInt(b.length);
                    int len = 1 + r.nextInt(Math.min(b.length - at, 1 + b.length / 8));
                    b = concat(java.util.Arrays.copyOfRange(b, 0, at), java.util.Arrays.copyOfRange(b, at + len,
                            b.length));
                }
            }
            case 5 -> { // splice the head of this input to the tail of another seed
                byte[] other = seeds.get(r.nextInt(seeds.size()));
                int cut = b.length == 0 ? 0 : r.nextInt(b.length);
                int from = other.length == 0 ? 0 : r.nextInt(other.length);
                b = concat(java.util.Arrays.copyOfRange(b, 0, cut), java.util.Arrays.copyOfRange(other, from,
                        other.length));
            }
            case 6 -> { // random bytes inserted
                byte[] junk = new byte[1 + r.nextInt(16)];
                r.nextBytes(junk);
                int at = b.length == 0 ? 0 : r.nextInt(b.length);
                b = concat(concat(java.util.Arrays.copyOfRange(b, 0, at), junk), java.util.Arrays.copyOfRange(b, at,
                        b.length));
            }
            case 7 -> { // appended garbage or zeros
                b = concat(b, new byte[1 + r.nextInt(r.nextBoolean() ? 16 : 65_536)]);
            }
            default -> {
                for (int i = 0, n = 1 + r.nextInt(8); i < n && b.length > 0; i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
        }
        return b;
    }

    /** {@code depth} arrays around {@code inner}, written raw (past what a tree would hold). */
    private static String nested(int depth, JsonNode inner) {
        return "[".repeat(depth) + inner + "]".repeat(depth);
    }

    private static String insertAt(String s, String what, Random r) {
        int at = s.isEmpty() ? 0 : r.nextInt(s.length() + 1);
        return s.substring(0, at) + what + s.substring(at);
    }

    private static String utf8AsLatin1(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static List<int[]> numberSpans(String s) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                int j = i;
                while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
                    j++;
                }
                int start = i > 0 && s.charAt(i - 1) == '-' ? i - 1 : i;
                out.add(new int[] {start, j});
                i = j;
            }
        }
        return out;
    }

    private static String pick(List<String> from, Random r) {
        return from.get(r.nextInt(from.size()));
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** A place in a JSON tree that can be replaced or removed. */
    private record Slot(JsonNode parent, String field, int index) {
        JsonNode value() {
            return field != null ? parent.get(field) : parent.get(index);
        }

        void set(JsonNode v) {
            if (field != null) {
                ((ObjectNode) parent).set(field, v);
            } else {
                ((ArrayNode) parent).set(index, v);
            }
        }

        void remove() {
            if (field != null) {
                ((ObjectNode) parent).remove(field);
            } else {
                ((ArrayNode) parent).remove(index);
            }
        }
    }

    private static void collect(JsonNode node, List<Slot> out) {
        if (out.size() > 5000) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                out.add(new Slot(node, f.getKey(), -1));
                collect(f.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                out.add(new Slot(node, null, i));
                collect(node.get(i), out);
            }
        }
    }
}
