package org.openledger.studio.datanet.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.IngestedRow;
import org.openledger.studio.datanet.ingest.LineProblem;
import org.openledger.studio.datanet.ingest.ProgressListener;

/**
 * Checks rows held in memory, with no workspace: for a quick {@code check} of a few files, and as the reference the
 * workspace's own check is tested against. Row ids are 1..n in the order given.
 */
public final class UploadCheck {

    private final NearDuplicateSettings near;
    private final RowChecks checks;

    public UploadCheck(NearDuplicateSettings near, QualitySettings quality) {
        this.near = near;
        this.checks = new RowChecks(near, quality);
    }

    public CheckReport check(List<IngestedRow> input) {
        return check(input, List.of());
    }

    /**
     * Reads {@code files} into memory and checks them together: the dry run behind
     * {@code studio datanet check FILES}. Files that cannot be read at all throw; bad lines are listed in the report.
     *
     * @throws org.openledger.studio.datanet.ingest.IngestException naming the file that cannot be read
     */
    public CheckReport checkFiles(List<Path> files, String contributor, Ingest ingest) {
        List<IngestedRow> rows = new ArrayList<>();
        List<LineProblem> problems = new ArrayList<>();
        for (Path f : files) {
            problems.addAll(ingest.read(f, contributor, rows::add, ProgressListener.NONE).problems());
        }
        return check(rows, problems);
    }

    public CheckReport check(List<IngestedRow> input, List<LineProblem> skippedLines) {
        int n = input.size();
        LshBands banding = near.banding();
        long[] ids = new long[n];
        long[] prefixes = new long[n];
        int[][] signatures = new int[n][];
        int[] bands = new int[n * banding.bands()];
        List<ReportRow> rows = new ArrayList<>(n);
        List<ReportFinding> findings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            IngestedRow row = input.get(i);
            RowChecks.CheckedRow checked = checks.check(row.text());
            ids[i] = i + 1;
            prefixes[i] = prefix(checked.hash());
            signatures[i] = checked.signature();
            System.arraycopy(banding.hashes(checked.signature()), 0, bands, i * banding.bands(), banding.bands());
            rows.add(new ReportRow(ids[i], row.provenance().source(), RowHash.hex(checked.hash()), checked.blocking()));
            for (Finding f : checked.findings()) {
                findings.add(ReportFinding.of(ids[i], f));
            }
        }
        Map<Integer, long[]> shingleCache = new LinkedHashMap<>();
        List<DuplicateGroup> groups = new RedundancyCheck(near.threshold()).groups(ids, prefixes, bands,
                banding.bands(), 0, (a, b) -> new double[] {
                    Shingles.jaccard(shingles(a, input, shingleCache), shingles(b, input, shingleCache)),
                    MinHasher.estimate(signatures[a], signatures[b])});
        return CheckReport.of(rows, groups, findings, skippedLines, near.threshold());
    }

    private long[] shingles(int i, List<IngestedRow> input, Map<Integer, long[]> cache) {
        return cache.computeIfAbsent(i, k -> checks.shingles().of(input.get(k).text()));
    }

    /** The first eight bytes of a row hash, big-endian: enough to group exact copies (2^-64 collision odds). */
    public static long prefix(byte[] hash) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (hash[i] & 0xFF);
        }
        return v;
    }
}
