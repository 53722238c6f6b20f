package org.openledger.studio.datanet.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Streams 96 MB of text through the reader in a child JVM whose whole heap is 24 MB: if the reader held the file (or
 * one long line of it) the child would die of OutOfMemoryError. The same probe reads 2 GB by hand (see the report).
 */
class BoundedMemoryTest {

    @ParameterizedTest
    @ValueSource(strings = {"breaks", "nobreaks"})
    void textFarLargerThanTheHeapIsStreamed(String mode) throws IOException, InterruptedException {
        long bytes = 96L << 20;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xmx24m", "-cp", System.getProperty("java.class.path"),
                StreamedIngestProbe.class.getName(), Long.toString(bytes), mode)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("heapMaxMB=24") || out.contains("heapMaxMB=2"), out);
        long rows = Long.parseLong(out.replaceAll("(?s).*rows=(\\d+).*", "$1"));
        assertTrue(rows > bytes / 2000, "rows of at most 256 tokens: " + out);
    }
}
