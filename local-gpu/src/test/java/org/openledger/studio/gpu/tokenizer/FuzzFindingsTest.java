package org.openledger.studio.gpu.tokenizer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.gpu.model.InvalidModelException;

/** What fuzzing found in the tokenizer and chat-template readers, each now a refusal with a message. */
class FuzzFindingsTest {

    @TempDir
    Path dir;

    @Test
    void deeplyNestedExpressionsAreRefusedNotAStackOverflow() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.of("{{ " + "[".repeat(3000) + "1" + "]".repeat(3000) + " }}", "", ""));
        assertTrue(e.getMessage().contains("nests deeper"), e.getMessage());
        assertThrows(ChatTemplateException.class, () -> ChatTemplate.of("{{ " + "not ".repeat(3000) + "x }}", "", ""));
        assertThrows(ChatTemplateException.class, () -> ChatTemplate.of("{{ " + "- ".repeat(3000) + "1 }}", "", ""));
    }

    @Test
    void aLongOperatorChainIsRefusedNotAStackOverflow() {
        assertThrows(ChatTemplateException.class, () -> ChatTemplate.of("{{ 1" + " + 1".repeat(200_000) + " }}", "", "")
                .render(List.of(ChatMessage.user("hi")), true));
    }

    @Test
    void anIntegerLiteralPast64BitsIsRefused() {
        ChatTemplateException e = assertThrows(ChatTemplateException.class,
                () -> ChatTemplate.of("{{ 9223372036854775808 }}", "", ""));
        assertTrue(e.getMessage().contains("9223372036854775808"), e.getMessage());
    }

    @Test
    void aTokenizerFileThatPanickedTheNativeReaderIsRefusedInJava() throws Exception {
        // the fuzzer's input: a decoder section cut off and followed by garbage aborted the whole JVM
        Path file = dir.resolve("tokenizer.json");
        Files.write(file, Files.readAllBytes(Path.of("src/test/resources/fuzz/tokenizer-json/"
                + "decoder-panic-malformed-json.bin")));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> TextTokenizer.load(file));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        Files.writeString(file, "{\"model\":{\"type\":\"BPE\",\"vocab\":{},\"merges\":[]},\"decoder\":{\"type\":"
                + "\"Sequence\",\"decoders\":[7]}}");
        assertThrows(InvalidModelException.class, () -> TextTokenizer.load(file));
    }
}
