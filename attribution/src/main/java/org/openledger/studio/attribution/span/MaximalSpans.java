package org.openledger.studio.attribution.span;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the maximal spans of a response that occur verbatim in the corpus, as OLMoTrace does (Liu et al.,
 * "OLMoTrace: Tracing Language Model Outputs Back to Trillions of Training Tokens", 2025, section 2):
 *
 * <ol>
 *   <li>for each start position (every token, or only those the caller marks as starting a word), the longest
 *       prefix of the rest of the response that occurs in the corpus;</li>
 *   <li>keep those at least {@code minTokens} long that occur at most {@code maxCount} times (a phrase found
 *       everywhere says nothing about where the answer came from);</li>
 *   <li>drop every kept span that lies inside another kept span;</li>
 *   <li>rank by rarity, the sum of the tokens' unigram negative log-probabilities, rarest first.</li>
 * </ol>
 *
 * <p>A match never crosses from one corpus row into the next (see {@link SpanShard}).
 */
public final class MaximalSpans {

    /**
     * @param minTokens  shortest span kept (OLMoTrace uses whole words; 8 tokens here by default)
     * @param maxCount   most corpus occurrences a kept span may have ({@link #NO_COUNT_LIMIT} for none)
     * @param maxSources most row ids returned per span
     */
    public record Options(int minTokens, long maxCount, int maxSources) {

        public static final long NO_COUNT_LIMIT = Long.MAX_VALUE;

        public Options {
            if (minTokens < 1 || maxCount < 1 || maxSources < 0) {
                throw new IllegalArgumentException("need minTokens >= 1, maxCount >= 1 and maxSources >= 0, got "
                        + minTokens + ", " + maxCount + ", " + maxSources);
            }
        }

        /** OLMoTrace's public defaults where they apply: count at most 10; 8 tokens; 5 rows per span. */
        public static Options defaults() {
            return new Options(8, 10, 5);
        }
    }

    /** The longest match found at one start: its length and, per shard that has it, its suffix range. */
    private record Match(int length, List<SpanShard> shards, List<SpanShard.Range> ranges) {
        long count() {
            long total = 0;
            for (SpanShard.Range range : ranges) {
                total += range.size();
            }
            return total;
        }
    }

    private MaximalSpans() {
    }

    /** Maximal spans with the default options, every position a possible start. */
    public static List<Span> find(SpanIndex index, int[] response) {
        return find(index, response, null, Options.defaults());
    }

    /**
     * Maximal spans of {@code response} in {@code index}, rarest first.
     *
     * @param wordStart which response positions may start a span, or {@code null} for all of them
     * @throws IllegalArgumentException for a token outside the vocabulary or a mask of the wrong length
     */
    public static List<Span> find(SpanIndex index, int[] response, boolean[] wordStart, Options options) {
        if (wordStart != null && wordStart.length != response.length) {
            throw new IllegalArgumentException("wordStart has " + wordStart.length + " entries for "
                    + response.length + " tokens");
        }
        for (int t : response) {
            if (t < 0 || t >= index.vocab()) {
                throw new IllegalArgumentException("token " + t + " is outside the vocabulary [0, " + index.vocab() + ")");
            }
        }
        List<SpanShard> shards = index.shards(); // one consistent set for the whole query, even during a merge
        List<Span> kept = new ArrayList<>();
        Map<Integer, Long> unigrams = new HashMap<>();
        long total = index.tokenCount();
        int keptEnd = -1;
        for (int start = 0; start < response.length; start++) {
            if (wordStart != null && !wordStart[start]) {
                continue;
            }
            Match match = longestMatch(shards, response, start);
            int end = start + match.length();
            long count = match.count();
            // Kept spans are visited by start, so a span lies inside an earlier kept one exactly when it
            // ends no further right than the furthest kept end; a later start cannot contain it.
            if (match.length() < options.minTokens() || count > options.maxCount() || end <= keptEnd) {
                continue;
            }
            keptEnd = end;
            double rarity = 0;
            for (int i = start; i < end; i++) {
                long unigram = unigrams.computeIfAbsent(response[i], t -> unigramCount(shards, t));
                rarity -= Math.log((double) unigram / total);
            }
            kept.add(new Span(start, end, count, rarity, sources(match, options.maxSources())));
        }
        kept.sort(Comparator.comparingDouble(Span::rarity).reversed().thenComparingInt(Span::start));
        return kept;
    }

    /**
     * The longest prefix of {@code response[start..]} that occurs in some shard: in each shard, narrow the
     * suffix-array range one token at a time until it would be empty. The longest over shards wins; its count
     * is the sum over the shards that match that far.
     */
    private static Match longestMatch(List<SpanShard> shards, int[] response, int start) {
        int best = 0;
        List<SpanShard> bestShards = new ArrayList<>();
        List<SpanShard.Range> bestRanges = new ArrayList<>();
        for (SpanShard shard : shards) {
            SpanShard.Range range = shard.all();
            int length = 0;
            while (start + length < response.length) {
                SpanShard.Range next = shard.narrow(range, length, response[start + length]);
                if (next.isEmpty()) {
                    break;
                }
                range = next;
                length++;
            }
            if (length > best) {
                best = length;
                bestShards.clear();
                bestRanges.clear();
            }
            if (length == best && length > 0) {
                bestShards.add(shard);
                bestRanges.add(range);
            }
        }
        return new Match(best, bestShards, bestRanges);
    }

    private static List<Long> sources(Match match, int max) {
        Set<Long> ids = new LinkedHashSet<>();
        for (int s = 0; s < match.shards().size() && ids.size() < max; s++) {
            match.shards().get(s).addRowIds(match.ranges().get(s), max, ids);
        }
        return new ArrayList<>(ids);
    }

    private static long unigramCount(List<SpanShard> shards, int token) {
        long count = 0;
        for (SpanShard shard : shards) {
            count += shard.narrow(shard.all(), 0, token).size();
        }
        return count;
    }
}
