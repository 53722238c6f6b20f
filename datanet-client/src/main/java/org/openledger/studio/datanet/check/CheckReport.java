package org.openledger.studio.datanet.check;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.openledger.studio.datanet.ingest.LineProblem;

/**
 * What the network will think of an upload, row by row: {@code rows} (id, source), {@code duplicate_groups}
 * (kind exact|near, member row ids, similarity) and {@code findings} (secrets, personal data, quality), the input
 * lines that were skipped ({@code skipped_lines}: file, line, reason), and a summary. {@link #toJson()} is the shape {@code studio datanet check --json} prints.
 */
public record CheckReport(
        @JsonProperty("rows") List<ReportRow> rows,
        @JsonProperty("duplicate_groups") List<DuplicateGroup> duplicateGroups,
        @JsonProperty("findings") List<ReportFinding> findings,
        @JsonProperty("skipped_lines") List<LineProblem> skippedLines,
        @JsonProperty("summary") CheckSummary summary) {

    public CheckReport {
        rows = List.copyOf(rows);
        duplicateGroups = List.copyOf(duplicateGroups);
        findings = List.copyOf(findings);
        skippedLines = List.copyOf(skippedLines);
    }

    /** Builds the summary from the parts; {@code skippedLines} are input lines that did not become rows. */
    public static CheckReport of(List<ReportRow> rows, List<DuplicateGroup> groups, List<ReportFinding> findings,
                                 List<LineProblem> skippedLines, double threshold) {
        int exact = 0;
        int near = 0;
        Set<Long> redundant = new HashSet<>();
        for (DuplicateGroup g : groups) {
            if (g.kind() == DuplicateGroup.Kind.EXACT) {
                exact++;
            } else {
                near++;
            }
            // every member after the first copy is redundant; a copy of a workspace row is redundant entirely
            List<Long> members = g.rows();
            redundant.addAll(g.workspaceRows().isEmpty() && g.nodeRows().isEmpty() ? members.subList(1, members.size()) : members);
        }
        Set<Long> blocked = new HashSet<>();
        int quality = 0;
        for (ReportFinding f : findings) {
            if (f.blocking()) {
                blocked.add(f.row());
            } else {
                quality++;
            }
        }
        return new CheckReport(rows, groups, findings, skippedLines,
                new CheckSummary(rows.size(), exact, near, redundant.size(), blocked.size(), quality, threshold));
    }

    public boolean blocksUpload() {
        return summary.blockedRows() > 0;
    }

    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
