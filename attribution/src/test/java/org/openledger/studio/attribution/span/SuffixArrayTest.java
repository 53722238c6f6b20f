package org.openledger.studio.attribution.span;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SuffixArrayTest {

    /** The definition: every suffix start, sorted by comparing suffixes symbol by symbol (a prefix first). */
    static int[] naive(int[] text) {
        Comparator<Integer> bySuffix = (a, b) -> {
            int i = a;
            int j = b;
            while (i < text.length && j < text.length) {
                if (text[i] != text[j]) {
                    return Integer.compare(text[i], text[j]);
                }
                i++;
                j++;
            }
            return Integer.compare(text.length - i, text.length - j);
        };
        return IntStream.range(0, text.length).boxed().sorted(bySuffix).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void randomTextsOfManySizesAndAlphabetsSortLikeTheDefinition() {
        SplittableRandom random = new SplittableRandom(20240517L);
        int[] alphabets = {1, 2, 3, 4, 7, 26, 256, 65_536, 200_000};
        for (int alphabet : alphabets) {
            for (int n : new int[] {0, 1, 2, 3, 5, 8, 17, 64, 300, 1_000, 4_000}) {
                for (int trial = 0; trial < 3; trial++) {
                    int[] text = random.ints(n, 0, alphabet).toArray();
                    assertArrayEquals(naive(text), SuffixArray.build(text, alphabet),
                            () -> "alphabet " + alphabet + ", text " + Arrays.toString(text));
                }
            }
        }
    }

    @Test
    void allEqualTokensSortLongestLast() {
        for (int n : new int[] {1, 2, 3, 10, 1_000}) {
            int[] text = new int[n];
            Arrays.fill(text, 5);
            int[] expected = IntStream.range(0, n).map(i -> n - 1 - i).toArray();
            assertArrayEquals(expected, SuffixArray.build(text, 6));
        }
    }

    @Test
    void periodicTextsSortLikeTheDefinition() {
        int[][] periods = {{0, 1}, {1, 0}, {0, 1, 2}, {2, 1, 0}, {0, 0, 1}, {3, 1, 4, 1, 5}};
        for (int[] period : periods) {
            for (int n : new int[] {2, 7, 64, 999, 3_000}) {
                int[] text = IntStream.range(0, n).map(i -> period[i % period.length]).toArray();
                assertArrayEquals(naive(text), SuffixArray.build(text, 6), () -> Arrays.toString(period) + " x " + n);
            }
        }
    }

    @Test
    void fibonacciWordsRecurseDeeply() {
        // Fibonacci words are the classic worst case for the recursion depth of SA-IS.
        StringBuilder a = new StringBuilder("0");
        StringBuilder b = new StringBuilder("01");
        while (b.length() < 5_000) {
            StringBuilder c = new StringBuilder(b).append(a);
            a = b;
            b = c;
        }
        int[] text = b.chars().map(ch -> ch - '0').toArray();
        assertArrayEquals(naive(text), SuffixArray.build(text, 2));
    }

    @Test
    void aLargeRandomTextIsSortedAndAPermutation() {
        int n = 2_000_000;
        int[] text = new SplittableRandom(7).ints(n, 0, 50_000).toArray();
        int[] sa = SuffixArray.build(text, 50_000);
        boolean[] seen = new boolean[n];
        for (int p : sa) {
            assertTrue(!seen[p]);
            seen[p] = true;
        }
        for (int r = 1; r < n; r++) {
            int i = sa[r - 1];
            int j = sa[r];
            while (i < n && j < n && text[i] == text[j]) {
                i++;
                j++;
            }
            int r0 = r;
            assertTrue(j < n && (i == n || text[i] < text[j]), () -> "rank " + r0);
        }
    }

    /**
     * Every position once, and each suffix smaller than the next, checked in linear time: {@code sa[r-1]}
     * sorts before {@code sa[r]} when its first symbol is smaller, or equal with the suffix after it ranked
     * lower (the empty suffix ranks lowest).
     */
    static void assertSuffixArray(int[] text, int[] sa) {
        int n = text.length;
        assertEquals(n, sa.length);
        int[] rank = new int[n + 1];
        Arrays.fill(rank, -1);
        for (int r = 0; r < n; r++) {
            assertEquals(-1, rank[sa[r]], "position twice");
            rank[sa[r]] = r;
        }
        for (int r = 1; r < n; r++) {
            int i = sa[r - 1];
            int j = sa[r];
            int r0 = r;
            assertTrue(text[i] < text[j] || (text[i] == text[j] && rank[i + 1] < rank[j + 1]), () -> "rank " + r0);
        }
    }

    @Test
    void corpusLikeTextsSortAsTokensAndAsBytes() {
        // The two paths of the first level: naming LMS substrings during the induction (alphabet at most
        // half the text: bytes, tokens of a big corpus) and by comparing them (alphabet close to the text).
        SyntheticCorpus corpus = new SyntheticCorpus(50_257, 42);
        SplittableRandom random = new SplittableRandom(42);
        for (int n : new int[] {1_000, 30_000, 300_000}) {
            int[] tokens = corpus.text(n, random);
            int[] withSeparators = new int[n + n / 100];
            for (int i = 0, at = 0; i < n; i++) {
                withSeparators[at++] = tokens[i];
                if (i % 100 == 99) {
                    withSeparators[at++] = 50_257;
                }
            }
            assertSuffixArray(withSeparators, SuffixArray.build(withSeparators, 50_258));
            int[] bytes = Arrays.stream(tokens).map(t -> t & 0xFF).toArray();
            int[] sa = SuffixArray.build(bytes, 256);
            assertSuffixArray(bytes, sa);
            if (n <= 1_000) {
                assertArrayEquals(naive(bytes), sa);
                assertArrayEquals(naive(withSeparators), SuffixArray.build(withSeparators, 50_258));
            }
        }
    }

    @Test
    void repetitiveTextsSortLikeTheDefinition() {
        // Copied blocks and long runs: many equal LMS substrings, so names repeat and the recursion goes deep.
        SplittableRandom random = new SplittableRandom(99);
        for (int alphabet : new int[] {2, 4, 256}) {
            for (int n : new int[] {50, 1_000, 20_000}) {
                int[] text = new int[n];
                int[] block = random.ints(1 + random.nextInt(40), 0, alphabet).toArray();
                for (int i = 0; i < n; i++) {
                    text[i] = random.nextInt(50) == 0 ? random.nextInt(alphabet) : block[i % block.length];
                }
                for (int i = n / 3; i < n / 2; i++) {
                    text[i] = alphabet - 1; // a long run of one symbol
                }
                assertArrayEquals(naive(text), SuffixArray.build(text, alphabet),
                        () -> "alphabet " + alphabet + ", n " + text.length);
            }
        }
        // A big Fibonacci word: about log_phi(n) recursion levels.
        StringBuilder a = new StringBuilder("0");
        StringBuilder b = new StringBuilder("01");
        while (b.length() < 500_000) {
            StringBuilder c = new StringBuilder(b).append(a);
            a = b;
            b = c;
        }
        int[] fib = b.chars().map(ch -> ch - '0').toArray();
        assertSuffixArray(fib, SuffixArray.build(fib, 2));
    }

    @Test
    void tokensOutsideTheAlphabetAreRefused() {
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class,
                () -> SuffixArray.build(new int[] {0, 1, 9}, 9));
        assertTrue(high.getMessage().contains("position 2"), high.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SuffixArray.build(new int[] {-1}, 9));
        assertEquals(0, SuffixArray.build(new int[0], 1).length);
    }
}
