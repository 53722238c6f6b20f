package org.openledger.studio.gpu.safetensors;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.safetensors.SafetensorsException.Reason;

class SafetensorsFileTest {

    @TempDir
    Path dir;

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", Tensor.of(new float[] {1f, -2.5f, 3.25f, 0f, 1e-3f, 65504f}, 2, 3));
        m.put("b", Tensor.of(new float[] {0.5f, -0.125f, 7f}, 3));
        return m;
    }

    @Test
    void writesAndReadsF32Exactly() throws IOException {
        Path f = dir.resolve("x.safetensors");
        SafetensorsWriter.write(f, sample(), DType.F32, Map.of("format", "pt"));
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertEquals(java.util.List.of("a", "b"), s.names());
            assertEquals("pt", s.metadata().get("format"));
            Tensor a = s.read("a");
            assertArrayEquals(new long[] {2, 3}, a.shape());
            assertArrayEquals(sample().get("a").values(), a.values());
            assertEquals(DType.F32, s.entry("b").dtype());
        }
        // header length is a multiple of 8 so that data is aligned
        byte[] bytes = Files.readAllBytes(f);
        long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLen % 8);
        assertEquals(8 + headerLen + 9 * 4, bytes.length);
    }

    @Test
    void widensBf16AndF16ToFloat() throws IOException {
        for (DType t : new DType[] {DType.BF16, DType.F16}) {
            Path f = dir.resolve(t + ".safetensors");
            SafetensorsWriter.write(f, sample(), t, Map.of());
            try (SafetensorsFile s = SafetensorsFile.open(f)) {
                assertEquals(t, s.entry("a").dtype());
                float[] got = s.read("a").values();
                float[] want = sample().get("a").values();
                for (int i = 0; i < want.length; i++) {
                    // values exactly representable in both halves come back exactly; 1e-3 is rounded
                    float tol = Math.abs(want[i]) * (t == DType.BF16 ? 0.004f : 0.001f);
                    assertEquals(want[i], got[i], tol, t + " element " + i);
                }
                assertEquals(-2.5f, got[1]);
            }
        }
    }

    @Test
    void halfConversionsRoundTripEveryHalfValue() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float f = HalfFloats.f16ToFloat((short) bits);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(f))));
                continue;
            }
            assertEquals(bits, HalfFloats.floatToF16(f) & 0xffff, "f16 bits " + Integer.toHexString(bits));
            float b = HalfFloats.bf16ToFloat((short) bits);
            if (!Float.isNaN(b)) {
                assertEquals(bits, HalfFloats.floatToBf16(b) & 0xffff, "bf16 bits " + Integer.toHexString(bits));
            }
        }
        assertEquals(1f, HalfFloats.f16ToFloat(HalfFloats.floatToF16(1.0004f)));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.f16ToFloat(HalfFloats.floatToF16(1e6f)));
    }

    @Test
    void readsI64() throws IOException {
        Path f = raw("ids.safetensors",
                "{\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", 16, null);
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(7).putLong(-3);
        byte[] all = Files.readAllBytes(f);
        System.arraycopy(b.array(), 0, all, all.length - 16, 16);
        Files.write(f, all);
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertArrayEquals(new long[] {7, -3}, s.readLongs("ids"));
            assertThrows(SafetensorsException.class, () -> s.read("ids"));
        }
    }

    @Test
    void refusesTruncatedFile() throws IOException {
        Path f = dir.resolve("t.safetensors");
        SafetensorsWriter.write(f, sample());
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 5));
        assertReason(Reason.TRUNCATED, f);
        Files.write(f, Arrays.copyOf(all, 5));
        assertReason(Reason.TRUNCATED, f);
    }

    @Test
    void refusesHeaderLengthLargerThanFile() throws IOException {
        Path f = dir.resolve("h.safetensors");
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).putLong(0);
        Files.write(f, b.array());
        SafetensorsException e = assertReason(Reason.HEADER_TOO_LARGE, f);
        assertTrue(e.getMessage().contains("1099511627776"), e.getMessage());
        b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).putLong(0);
        Files.write(f, b.array());
        assertReason(Reason.HEADER_TOO_LARGE, f);
    }

    @Test
    void refusesBadJsonAndMissingFields() throws IOException {
        assertReason(Reason.BAD_HEADER, raw("j.safetensors", "{not json", 0, null));
        assertReason(Reason.BAD_HEADER, raw("k.safetensors", "[1,2]", 0, null));
        assertReason(Reason.BAD_HEADER, raw("l.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, null));
    }

    @Test
    void refusesOffsetsOutOfRange() throws IOException {
        Path f = raw("o.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[400,408]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 16, null);
        SafetensorsException e = assertReason(Reason.OFFSETS_OUT_OF_RANGE, f);
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
        assertReason(Reason.OFFSETS_OUT_OF_RANGE,
                raw("n.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8, null));
    }

    @Test
    void refusesOverlappingTensors() throws IOException {
        Path f = raw("v.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 16, null);
        assertReason(Reason.OVERLAPPING, f);
    }

    @Test
    void refusesUnknownDtype() throws IOException {
        SafetensorsException e = assertReason(Reason.UNKNOWN_DTYPE,
                raw("d.safetensors", "{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2, null));
        assertTrue(e.getMessage().contains("F8_E4M3"));
    }

    @Test
    void refusesShapeThatDoesNotMatchByteCount() throws IOException {
        assertReason(Reason.SHAPE_MISMATCH,
                raw("s.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3,2],\"data_offsets\":[0,16]}}", 16, null));
        assertReason(Reason.BAD_HEADER,
                raw("s2.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]}}", 16, null));
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Path f = dir.resolve("m.safetensors");
        SafetensorsWriter.write(f, sample());
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> s.read("zzz"));
            assertEquals(Reason.MISSING_TENSOR, e.reason());
        }
    }

    @Test
    void fuzzedHeadersNeverEscapeAsAnythingButSafetensorsException() throws IOException {
        Path good = dir.resolve("g.safetensors");
        SafetensorsWriter.write(good, sample());
        byte[] all = Files.readAllBytes(good);
        java.util.Random rnd = new java.util.Random(1);
        Path f = dir.resolve("fuzz.safetensors");
        int refused = 0;
        for (int i = 0; i < 300; i++) {
            byte[] copy = all.clone();
            for (int k = 0; k < 3; k++) {
                copy[rnd.nextInt(Math.min(copy.length, 120))] = (byte) rnd.nextInt(256);
            }
            Files.write(f, copy);
            try (SafetensorsFile s = SafetensorsFile.open(f)) {
                for (String n : s.names()) {
                    if (s.entry(n).dtype().isFloat()) {
                        s.read(n);
                    }
                }
            } catch (SafetensorsException e) {
                refused++;
                assertNotNull(e.reason());
            }
        }
        assertTrue(refused > 50, "most corruptions are caught: " + refused);
    }

    private Path raw(String name, String header, int dataBytes, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        if (data != null) {
            b.put(data);
        }
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }

    private static SafetensorsException assertReason(Reason reason, Path f) {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> {
            try (SafetensorsFile s = SafetensorsFile.open(f)) {
                s.names();
            }
        });
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }
}
