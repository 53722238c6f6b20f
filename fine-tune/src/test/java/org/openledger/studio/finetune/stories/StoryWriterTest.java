package org.openledger.studio.finetune.stories;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoryWriterTest {

    private static List<String> documents(long seed, int n) {
        StoryWriter w = new StoryWriter(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(w.document());
        }
        return out;
    }

    @Test
    void theSameSeedWritesTheSameTextAndAnotherSeedDoesNot() {
        assertEquals(documents(5, 200), documents(5, 200));
        assertNotEquals(documents(5, 50), documents(6, 50));
    }

    @Test
    void sentencesAreWellFormed() {
        Pattern badArticle = Pattern.compile("\\b[Aa] [aeiou]|\\b[Aa]n [^aeiou\\s]");
        for (String doc : documents(1, 2000)) {
            assertFalse(doc.isBlank());
            assertEquals(doc.strip(), doc, "no leading or trailing blanks");
            assertFalse(doc.contains("  ") || doc.contains(" ,") || doc.contains(" .") || doc.contains(".."), doc);
            assertFalse(badArticle.matcher(doc).find(), "a/an agree with the next word: " + doc);
            assertEquals(0, doc.chars().filter(ch -> ch == '"').count() % 2, "quotes are closed: " + doc);
            for (String line : doc.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                assertTrue(Character.isUpperCase(line.replaceFirst("^\"", "").charAt(0)),
                        "a line starts with a capital: " + line);
                assertTrue(line.matches(".*[.!?\"]$"), "a line ends a sentence: " + line);
            }
            // Quoted speech stands as one capitalised word, so that '"Look!" he cried.' is one sentence.
            for (String sentence : doc.replaceAll("\"[^\"]*\"", "Q").split("(?<=[.!?]) +")) {
                String s = sentence.replaceFirst("^(User|Assistant): ", "").strip();
                assertTrue(s.isEmpty() || Character.isUpperCase(s.charAt(0)),
                        "a sentence starts with a capital: [" + s + "] in " + doc);
            }
        }
    }

    @Test
    void pronounsAgreeWithTheHero() {
        // Openings name the hero's kind; a boy is never "she" and a girl never "he" in the sentence after.
        Pattern opening = Pattern.compile("(girl|boy) (?:named|called) (\\w+)[^\\n]*");
        int checked = 0;
        for (String doc : documents(3, 1000)) {
            Matcher m = opening.matcher(doc);
            if (!m.find() || doc.startsWith("User:")) {
                continue;
            }
            String wrong = m.group(1).equals("girl") ? "\\b(He|he|his|His|him|himself)\\b"
                    : "\\b(She|she|her|Her|herself)\\b";
            String firstParagraph = doc.split("\n\n")[0];
            assertFalse(Pattern.compile(wrong).matcher(firstParagraph).find(), firstParagraph);
            checked++;
        }
        assertTrue(checked > 300, "openings checked: " + checked);
    }

    @Test
    void itIsVariedEnoughThatAModelMustLearnGrammarNotCopyText() {
        List<String> docs = documents(1, 3000);
        Set<String> distinctDocs = new HashSet<>(docs);
        Set<String> sentences = new HashSet<>();
        Set<String> words = new HashSet<>();
        for (String d : docs) {
            for (String s : d.split("(?<=[.!?\"]) +|\n+")) {
                sentences.add(s.strip());
            }
            for (String w : d.toLowerCase().split("[^a-z']+")) {
                words.add(w);
            }
        }
        assertTrue(distinctDocs.size() > docs.size() * 0.99, "distinct documents: " + distinctDocs.size());
        List<String> stories = docs.stream().filter(d -> !d.startsWith("User: ")).filter(d -> d.length() > 500)
                .toList();
        assertEquals(stories.size(), new HashSet<>(stories).size(), "no story repeats");
        assertTrue(sentences.size() > 5000, "distinct sentences: " + sentences.size());
        assertTrue(words.size() > 400, "distinct words: " + words.size());
        long openings = docs.stream().filter(d -> d.startsWith("Once") || d.startsWith("There")).count();
        long chats = docs.stream().filter(d -> d.startsWith("User: ")).count();
        assertTrue(openings > docs.size() * 0.7 && chats > docs.size() * 0.1, openings + " stories, " + chats
                + " chats");
    }

    @Test
    void conversationsFollowTheChatTemplate() {
        StoryWriter w = new StoryWriter(9);
        for (int i = 0; i < 300; i++) {
            String[] lines = w.conversation().split("\n");
            assertEquals(0, lines.length % 2);
            for (int k = 0; k < lines.length; k++) {
                assertTrue(lines[k].startsWith(k % 2 == 0 ? "User: " : "Assistant: "), lines[k]);
            }
        }
    }

    @Test
    void theCorpusIsOneFilePerDocumentAndReproducible(@TempDir Path dir) throws Exception {
        GeneratedCorpus.Summary a = GeneratedCorpus.write(dir.resolve("a"), 1200, 4);
        GeneratedCorpus.write(dir.resolve("b"), 1200, 4);
        assertEquals(1200, a.documents());
        assertTrue(Files.isRegularFile(dir.resolve("a/001/001199.txt")));
        List<String> first = documents(4, 3);
        assertEquals(first.get(2) + "\n", Files.readString(dir.resolve("a/000/000002.txt")));
        for (String name : List.of("000/000000.txt", "001/001100.txt", "README")) {
            assertEquals(Files.readString(dir.resolve("a").resolve(name)), Files.readString(dir.resolve("b")
                    .resolve(name)), name);
        }
        assertTrue(Files.readString(dir.resolve("a/README")).contains("CC0-1.0"));
        assertThrows(IllegalArgumentException.class, () -> GeneratedCorpus.write(dir.resolve("c"), 0, 1));
    }
}
