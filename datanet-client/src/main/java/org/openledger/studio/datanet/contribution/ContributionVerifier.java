package org.openledger.studio.datanet.contribution;

import java.util.List;
import org.openledger.studio.datanet.check.RowHash;

/**
 * The checks the node makes on what a contributor sends (shared here so both ends agree): the manifest is signed by
 * its contributor for this registry and chain, its root is the root of its rows; each chunk's bytes have the
 * announced hash and hold exactly the manifest's rows at its position, each row's text hashing to its row hash.
 */
public final class ContributionVerifier {

    private final ManifestDomain domain;
    private final ChunkPayload payloads = new ChunkPayload();

    public ContributionVerifier(ManifestDomain domain) {
        this.domain = domain;
    }

    /** @throws ContributionRejectedException naming the first problem */
    public void verifyManifest(SignedManifest signed, List<PlannedChunk> chunks) {
        ContributionManifest m = signed.manifest();
        if (!m.rootMatchesRows()) {
            throw new ContributionRejectedException("the Merkle root does not match the row hashes");
        }
        if (!signed.signedByContributor(domain)) {
            throw new ContributionRejectedException("the manifest is not signed by its contributor " + m.contributor());
        }
        int next = 0;
        for (int i = 0; i < chunks.size(); i++) {
            PlannedChunk c = chunks.get(i);
            if (c.index() != i || c.firstRow() != next || c.rowCount() < 1) {
                throw new ContributionRejectedException("chunk " + i + " does not continue the plan");
            }
            next += c.rowCount();
        }
        if (next != m.rowCount()) {
            throw new ContributionRejectedException("the chunks hold " + next + " rows, the manifest " + m.rowCount());
        }
    }

    /**
     * @return the chunk's rows, verified
     * @throws ContributionRejectedException naming the first problem
     */
    public List<UploadRow> verifyChunk(ContributionManifest m, PlannedChunk planned, byte[] payload, String claimedHash) {
        String actual = ChunkPayload.hash(payload);
        if (!actual.equalsIgnoreCase(claimedHash) || !actual.equalsIgnoreCase(planned.hash())) {
            throw new ContributionRejectedException("chunk " + planned.index() + " hash mismatch: the bytes hash to "
                    + actual + ", the plan says " + planned.hash());
        }
        List<UploadRow> rows = payloads.decode(payload);
        if (rows.size() != planned.rowCount()) {
            throw new ContributionRejectedException("chunk " + planned.index() + " has " + rows.size()
                    + " rows, the plan says " + planned.rowCount());
        }
        for (int i = 0; i < rows.size(); i++) {
            UploadRow r = rows.get(i);
            String expected = m.rowHashes().get(planned.firstRow() + i);
            if (!r.hash().equalsIgnoreCase(expected)) {
                throw new ContributionRejectedException("chunk " + planned.index() + " row " + i + " is not row "
                        + (planned.firstRow() + i) + " of the manifest");
            }
            if (!RowHash.hex(RowHash.of(r.text())).equalsIgnoreCase(expected)) {
                throw new ContributionRejectedException("chunk " + planned.index() + " row " + i
                        + ": the text does not hash to its row hash");
            }
        }
        return rows;
    }
}
