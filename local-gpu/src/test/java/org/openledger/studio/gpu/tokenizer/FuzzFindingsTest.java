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

    private static String render(String template) throws ChatTemplateException {
        return ChatTemplate.of(template, "", "").render(List.of(ChatMessage.user("hi")), true);
    }

    @Test
    void aSliceBoundThatIsNotAnIntegerIsRefusedNotAClassCast() throws Exception {
        // messages[NaN:]: an undefined name as the start, from fuzz/chat-template/slice-bound-undefined-class-cast.bin
        assertTrue(render("{{ messages[NaN:] | length }}").contains("1"));
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> render("{{ messages[1.5:] }}"));
        assertTrue(e.getMessage().contains("slice indices must be integers"), e.getMessage());
        assertThrows(ChatTemplateException.class, () -> render("{{ 'abc'['a':] }}"));
        assertTrue(render("{{ 'abcdef'[1:-1] }}").contains("bcde"));
    }

    @Test
    void divisionByZeroIsRefusedAsPythonRefusesIt() {
        for (String op : List.of("%", "//", "/")) {
            ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> render("{{ 7 " + op + " -0 }}"));
            assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
            assertThrows(ChatTemplateException.class, () -> render("{{ 7.5 " + op + " 0.0 }}"));
        }
    }

    @Test
    void rangeTakesOneToThreeIntegersAndIsBounded() throws Exception {
        assertTrue(render("{% for i in range(3) %}{{ i }}{% endfor %}").contains("012"));
        assertTrue(render("{% for i in range(5, 0, -2) %}{{ i }}{% endfor %}").contains("531"));
        assertThrows(ChatTemplateException.class, () -> render("{{ range() }}"));
        assertThrows(ChatTemplateException.class, () -> render("{{ range('a') }}"));
        assertThrows(ChatTemplateException.class, () -> render("{{ range(1, 5, 0) }}"));
        ChatTemplateException huge = assertThrows(ChatTemplateException.class,
                () -> render("{{ range(1000000000000) | length }}"));
        assertTrue(huge.getMessage().contains("more than"), huge.getMessage());
    }

    @Test
    void anAddedTokenTooLongForTheNativeReaderToBuildInTimeIsRefusedInJava() throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Files.write(file, Files.readAllBytes(Path.of("src/test/resources/fuzz/tokenizer-json/huge-added-token-hang.bin")));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> TextTokenizer.load(file));
        assertTrue(e.getMessage().contains("added token 1 is 103511 characters long"), e.getMessage());
    }

    @Test
    void anUnknownTokenMissingFromTheVocabularyIsRefusedAtLoadNotAtTheFirstText() throws Exception {
        // found by ModelFilesFuzzTest (seed 41, input 200,535): unk_token "h e" loaded, then encoding a piece
        // outside the vocabulary failed in native code with a RuntimeException
        Path file = dir.resolve("tokenizer.json");
        Files.write(file, Files.readAllBytes(Path.of("src/test/resources/fuzz/tokenizer-json/unk-token-not-in-vocab.bin")));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> TextTokenizer.load(file));
        assertTrue(e.getMessage().contains("unk_token \"h e\" is not in its vocabulary"), e.getMessage());
        Files.writeString(file, "{\"model\":{\"type\":\"Unigram\",\"unk_id\":5,\"vocab\":[[\"a\",-1.0]]}}");
        e = assertThrows(InvalidModelException.class, () -> TextTokenizer.load(file));
        assertTrue(e.getMessage().contains("unk_id 5"), e.getMessage());
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

    @Test
    void aMergeShorterThanTheSubwordPrefixIsRefusedNotANativePanic() throws Exception {
        // found by ModelFilesFuzzTest (seed 1, a few thousand inputs): it aborted the JVM with exit 134 in
        // tokenizers' bpe/model.rs ("byte index 9 is out of bounds of `e`")
        Path file = dir.resolve("tokenizer.json");
        Files.write(file, Files.readAllBytes(Path.of("src/test/resources/fuzz/tokenizer-json/"
                + "bpe-merge-shorter-than-subword-prefix.bin")));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> TextTokenizer.load(file));
        assertTrue(e.getMessage().contains("merge 1 (\"h e\")") && e.getMessage().contains("\"ByteLevel\""),
                e.getMessage());
        // a cut character at the prefix's end, in the array form of merges
        Files.writeString(file, "{\"model\":{\"type\":\"BPE\",\"continuing_subword_prefix\":\"#\","
                + "\"vocab\":{\"a\":0,\"\u00e9\":1},\"merges\":[[\"a\",\"\u00e9\"]]}}");
        assertTrue(assertThrows(InvalidModelException.class, () -> TextTokenizer.load(file)).getMessage()
                .contains("merge 1"));
        // the prefix whole at the start of the second part: loads as before
        Files.writeString(file, "{\"model\":{\"type\":\"BPE\",\"continuing_subword_prefix\":\"##\","
                + "\"vocab\":{\"a\":0,\"##b\":1,\"ab\":2},\"merges\":[\"a ##b\"]}}");
        try (TextTokenizer t = TextTokenizer.load(file)) {
            assertTrue(t.encode("a").length > 0);
        }
    }

    @Test
    void valuesTheNativeJsonReaderRefusesAreRefusedBeforeItPanics() throws Exception {
        // found by ModelFilesFuzzTest (seed 1) after the merge fix: a 400-digit number in the decoder made
        // tokenizers' decoders/mod.rs:90 unwrap serde_json's "number out of range" and abort the JVM
        Path file = dir.resolve("tokenizer.json");
        Files.write(file, Files.readAllBytes(Path.of("src/test/resources/fuzz/tokenizer-json/"
                + "decoder-number-out-of-range-panic.bin")));
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> TextTokenizer.load(file));
        assertTrue(e.getMessage().contains("beyond the range of a double"), e.getMessage());
        String model = "\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0},\"merges\":[]}";
        Files.writeString(file, "{" + model + ",\"decoder\":{\"type\":\"ByteLevel\",\"x\":\"\\ud800\"}}");
        assertTrue(assertThrows(InvalidModelException.class, () -> TextTokenizer.load(file)).getMessage()
                .contains("lone UTF-16 surrogate"));
        Files.writeString(file, "{" + model + ",\"decoder\":{\"type\":\"ByteLevel\",\"x\":"
                + "[".repeat(150) + "]".repeat(150) + "}}");
        assertTrue(assertThrows(InvalidModelException.class, () -> TextTokenizer.load(file)).getMessage()
                .contains("nests deeper"));
        // a paired surrogate (an emoji) is fine
        Files.writeString(file, "{" + model.replace("\"a\":0", "\"a\":0,\"\\ud83d\\ude00\":1")
                + ",\"decoder\":{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,"
                + "\"use_regex\":true}}");
        try (TextTokenizer t = TextTokenizer.load(file)) {
            assertTrue(t.encode("a").length > 0);
        }
    }
}
