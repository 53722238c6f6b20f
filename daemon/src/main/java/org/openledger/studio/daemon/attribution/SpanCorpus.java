package org.openledger.studio.daemon.attribution;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.attribution.influence.IndexedRow;
import org.openledger.studio.attribution.span.MaximalSpans;
import org.openledger.studio.attribution.span.Span;
import org.openledger.studio.attribution.span.SpanIndex;
import org.openledger.studio.attribution.span.SpanRow;
import org.openledger.studio.gpu.tokenizer.TextTokenizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every row the node holds, for verbatim span matching: one suffix-array shard per batch (a Datanet upload, or the
 * inline rows of a fine-tuning job), all in one {@link SpanIndex} over the base model's token ids, merged into one
 * shard in the background once there are more than {@link #MERGE_AT}. A span found in an answer maps back to its
 * rows through {@code span_row} in {@code attribution.db}. A batch is written once: its shard first, then its rows and
 * its name in one transaction, so a batch cut off by a crash is indexed again (a shard written twice counts its
 * spans twice until the next merge, which keeps both copies: the rare cost of that window).
 */
final class SpanCorpus {

    private static final Logger log = LoggerFactory.getLogger(SpanCorpus.class);
    static final int MERGE_AT = 8;

    private final SpanIndex index;
    private final AttributionStore store;
    private final TextTokenizer tokenizer;

    SpanCorpus(Path dir, int vocab, AttributionStore store, TextTokenizer tokenizer) {
        this.index = SpanIndex.open(dir, vocab);
        this.store = store;
        this.tokenizer = tokenizer;
    }

    boolean has(String batch) {
        return store.hasSpanBatch(batch);
    }

    /** Adds a batch of rows (once; a batch already in the corpus is left as it is). Runs on the index thread. */
    synchronized void add(String batch, List<IndexedRow> rows) {
        if (rows.isEmpty() || store.hasSpanBatch(batch)) {
            return;
        }
        long first = store.nextSpanRow();
        List<SpanRow> tokens = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            long[] ids = tokenizer.encode(rows.get(i).text());
            int[] t = new int[ids.length];
            for (int j = 0; j < ids.length; j++) {
                t[j] = (int) ids[j];
            }
            tokens.add(new SpanRow(first + i, t));
        }
        index.addShard(tokens);
        store.putSpanBatch(batch, first, rows);
        log.info("span corpus: {} rows of {} added ({} shards, {} tokens)", rows.size(), batch, index.shards().size(),
                index.tokenCount());
        if (index.shards().size() > MERGE_AT) {
            index.merge();
        }
    }

    long tokens() {
        return index.tokenCount();
    }

    /** The answer's maximal spans that occur in the corpus, as character ranges of {@code text}. */
    List<AttributionRecord.Span> spans(long[] completion, String text, int minTokens) {
        if (index.shards().isEmpty()) {
            return List.of();
        }
        int[] ids = new int[completion.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) completion[i];
        }
        List<AttributionRecord.Span> out = new ArrayList<>();
        for (Span s : MaximalSpans.find(index, ids, null, new MaximalSpans.Options(minTokens,
                MaximalSpans.Options.NO_COUNT_LIMIT, 5))) {
            int start = Math.min(text.length(), tokenizer.decode(java.util.Arrays.copyOf(completion, s.start())).length());
            int end = Math.min(text.length(), tokenizer.decode(java.util.Arrays.copyOf(completion, s.end())).length());
            List<AttributionRecord.SpanSource> sources = new ArrayList<>();
            for (long row : s.rows()) {
                IndexedRow r = store.spanRow(row);
                if (r != null) {
                    sources.add(new AttributionRecord.SpanSource(r.source(), r.datanetId(), r.uploadId(), r.seq(),
                            r.contributor(), r.shownText()));
                }
            }
            out.add(new AttributionRecord.Span(start, end, text.substring(start, Math.max(start, end)), s.count(),
                    sources));
        }
        return out;
    }
}
