package org.openledger.studio.datanet.check;

import java.util.ArrayList;
import java.util.List;

/** Everything computed for one row as it streams in: its hash, MinHash signature, and secret/quality findings. */
public final class RowChecks {

    /** The per-row result. */
    public record CheckedRow(byte[] hash, int[] signature, List<Finding> findings) {
        public boolean blocking() {
            return findings.stream().anyMatch(f -> f.kind().blocking());
        }
    }

    private final Shingles shingles;
    private final MinHasher hasher;
    private final SecretScanner secrets = new SecretScanner();
    private final QualityCheck quality;

    public RowChecks(NearDuplicateSettings near, QualitySettings quality) {
        this.shingles = new Shingles(near.shingleWords());
        this.hasher = new MinHasher(near.positions(), near.seed());
        this.quality = new QualityCheck(quality);
    }

    public RowChecks() {
        this(NearDuplicateSettings.DEFAULT, QualitySettings.DEFAULT);
    }

    public CheckedRow check(String normalisedText) {
        List<Finding> findings = new ArrayList<>(secrets.scan(normalisedText));
        findings.addAll(quality.check(normalisedText));
        return new CheckedRow(RowHash.of(normalisedText), hasher.signature(shingles.of(normalisedText)), findings);
    }

    public Shingles shingles() {
        return shingles;
    }
}
