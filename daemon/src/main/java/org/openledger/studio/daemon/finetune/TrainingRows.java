package org.openledger.studio.daemon.finetune;

import java.util.ArrayList;
import java.util.List;
import org.openledger.studio.api.finetune.TrainedRow;
import org.openledger.studio.attribution.influence.Example;
import org.openledger.studio.attribution.influence.IndexedRow;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.model.InvalidModelException;
import org.openledger.studio.gpu.tokenizer.ChatTemplate;
import org.openledger.studio.gpu.tokenizer.TextTokenizer;

/**
 * The rows a job trained on, named and tokenised for attribution: one {@link IndexedRow} and one {@link Example}
 * (the tokens and the targets the job learned) per training document, validation documents left out. A Datanet row
 * is named by its Datanet, upload and sequence number; a line of inline data by its 1-based line; inline plain text
 * (one document) is split into its non-blank lines, each a row. A row longer than the job's context is attributed by
 * its first window, which is what a training window of it saw first.
 */
public record TrainingRows(List<IndexedRow> rows, List<Example> examples) {

    static TrainingRows of(JobSpec spec, BaseModel base, List<TrainedRow> registryRows)
            throws InvalidModelException, InvalidFineTuneException {
        TextTokenizer tokenizer = base.requireTokenizer();
        ChatTemplate template = base.chatTemplate().orElse(null);
        List<JobSpec.Document> docs = spec.data().ordered();
        boolean[] held = spec.data().held();
        List<IndexedRow> rows = new ArrayList<>();
        List<Example> examples = new ArrayList<>();
        int cap = spec.context() + 1;
        for (int i = 0; i < docs.size(); i++) {
            if (held != null && i < held.length && held[i]) {
                continue;
            }
            JobSpec.Document d = docs.get(i);
            TrainedRow r = d.row() != null ? d.row()
                    : registryRows != null && i < registryRows.size() ? registryRows.get(i) : null;
            if (r != null) {
                rows.add(IndexedRow.ofDatanet(r.datanetId(), r.uploadId(), r.seq(), r.contributor(),
                        d.prompt() == null ? d.text() : d.prompt() + "\n" + d.text()));
                examples.add(example(d, tokenizer, template, cap));
            } else if (d.line() != null) {
                rows.add(new IndexedRow("line:" + d.line(), null, null, null, null,
                        d.prompt() == null ? d.text() : d.prompt() + "\n" + d.text()));
                examples.add(example(d, tokenizer, template, cap));
            } else {
                List<String> lines = d.text().lines().toList();
                for (int n = 0; n < lines.size(); n++) {
                    if (lines.get(n).isBlank()) {
                        continue;
                    }
                    rows.add(new IndexedRow("line:" + (n + 1), null, null, null, null, lines.get(n)));
                    examples.add(example(new JobSpec.Document(lines.get(n), null), tokenizer, template, cap));
                }
            }
        }
        return new TrainingRows(List.copyOf(rows), List.copyOf(examples));
    }

    private static Example example(JobSpec.Document d, TextTokenizer tokenizer, ChatTemplate template, int cap)
            throws InvalidFineTuneException {
        List<Integer> ids = new ArrayList<>();
        List<Boolean> learned = new ArrayList<>();
        JobSpec.tokens(d, tokenizer, template, ids, learned);
        int n = Math.min(ids.size(), cap);
        long[] tokens = new long[n];
        boolean[] targets = new boolean[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = ids.get(i);
            targets[i] = i > 0 && learned.get(i);
        }
        return new Example(tokens, targets);
    }
}
