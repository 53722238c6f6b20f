package org.openledger.studio.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainNameTest {

    /** What arrives after percent-decoding: every way out of a folder that we know of, and look-alikes. */
    static final List<String> HOSTILE = List.of(
            "..", "../etc", "a/../../b", "..\\..\\windows", "a\\b", "a/b", "/etc/passwd", "\\\\server\\share",
            "C:\\x", "a\u0000b", "x\u0000", ".hidden", "-rf", "%2e%2e", "%2F", "a%2Fb",
            "\uff0e\uff0e", "\u2024\u2024", "a\u2215b", "a\u2044b", "a\uff0fb", "e\u0301", "\u0430dapter",
            "a b", "a\nb", "a\tb", "", "x".repeat(256), "~", "$HOME", "a*b", "a?b", "a|b", "a\"b", "a<b>");

    @Test
    void hostileNamesAreRefusedWithAReason() {
        for (String s : HOSTILE) {
            assertFalse(PlainName.isId(s), PlainName.printable(s));
            assertNotNull(PlainName.idProblem(s), PlainName.printable(s));
            assertFalse(PlainName.isFileName(s), PlainName.printable(s));
        }
        assertEquals("it contains '..'", PlainName.idProblem("a..b"));
        assertEquals("it contains a path separator", PlainName.idProblem("a/b"));
        assertEquals("it contains a path separator", PlainName.idProblem("a\\b"));
        assertEquals("it contains a NUL character", PlainName.idProblem("a\u0000b"));
        assertEquals("it contains the non-ASCII character U+FF0E", PlainName.idProblem("a\uff0eb"));
        assertEquals("it is longer than 128 characters", PlainName.idProblem("x".repeat(129)));
        assertFalse(PlainName.isFileName("x".repeat(256)));
        assertFalse(PlainName.isId("x".repeat(129)));
        assertFalse(PlainName.isFileName("C:"));
        assertFalse(PlainName.isFileName("ws:1"), "':' is an id character, never a file name's (Windows streams)");
    }

    @Test
    void plainNamesPass() {
        for (String s : List.of("studio-tiny-en", "ftjob-0123abc", "attr-9f8e7d", "upl-3b1c", "12345",
                "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "adapter_model.safetensors", "v1.2_rc-3")) {
            assertTrue(PlainName.isId(s), s);
            assertTrue(PlainName.isFileName(s), s);
        }
        assertTrue(PlainName.isId("workspace:42"));
        assertTrue(PlainName.isFileName("x".repeat(255)));
    }

    @Test
    void resolveInStaysInsideTheFolder(@TempDir Path dir) {
        assertEquals(dir.toAbsolutePath().normalize().resolve("a.json"), PlainName.resolveIn(dir, "a.json"));
        for (String s : HOSTILE) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PlainName.resolveIn(dir, s), PlainName.printable(s));
            assertTrue(e.getMessage().contains("not a plain file name"), e.getMessage());
        }
    }

    @Test
    void printableNeverEchoesControlCharacters() {
        assertEquals("a\\u0000b\\u000a", PlainName.printable("a\u0000b\n"));
        assertEquals("\\uff0e", PlainName.printable("\uff0e"));
        assertTrue(PlainName.printable("y".repeat(500)).endsWith("..."));
    }

    @Test
    void onlyTheFolderIsTouched(@TempDir Path dir) throws Exception {
        Path inner = Files.createDirectories(dir.resolve("data"));
        for (String s : HOSTILE) {
            try {
                Files.writeString(PlainName.resolveIn(inner, s), "x");
            } catch (IllegalArgumentException expected) {
                // refused before any file call
            }
        }
        try (var all = Files.walk(dir)) {
            assertEquals(List.of(dir, inner), all.toList());
        }
    }
}
