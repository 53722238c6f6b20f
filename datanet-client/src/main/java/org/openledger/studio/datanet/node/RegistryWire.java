package org.openledger.studio.datanet.node;

import java.util.ArrayList;
import java.util.List;
import org.openledger.studio.api.registry.NearDuplicateAnswer;
import org.openledger.studio.api.registry.NearDuplicateRequest;
import org.openledger.studio.api.registry.OpenUpload;
import org.openledger.studio.datanet.check.NodeDuplicateIndex.NodeMatch;
import org.openledger.studio.datanet.check.NodeDuplicateIndex.SignatureQuery;
import org.openledger.studio.datanet.contribution.ContributionManifest;
import org.openledger.studio.datanet.contribution.PlannedChunk;
import org.openledger.studio.datanet.contribution.SignedManifest;

/**
 * The one place the upload engine's records meet the registry's wire records (decision 18), both ways: the studio
 * maps its manifest, chunk plan and queries out and the node's matches in; the node maps them in and its matches
 * out. A wire record from a stranger may be incomplete: what the engine's records refuse (a missing field, a
 * signature that is not 65 bytes) is an {@link IllegalArgumentException} naming the field, never a
 * {@link NullPointerException}.
 */
public final class RegistryWire {

    private RegistryWire() {
    }

    public static OpenUpload openUpload(SignedManifest signed, List<PlannedChunk> chunks) {
        ContributionManifest m = signed.manifest();
        OpenUpload.Manifest manifest = new OpenUpload.Manifest(m.datanetId(), m.contributor(), m.licence(),
                m.nonce(), m.rowCount(), m.merkleRoot(), m.rowHashes());
        return new OpenUpload(new OpenUpload.Signed(manifest, signed.signature()),
                chunks.stream().map(c -> new OpenUpload.Chunk(c.index(), c.firstRow(), c.rowCount(), c.hash(),
                        c.bytes())).toList());
    }

    /** The signed manifest of an upload request; null when there is none (the registry refuses that by name). */
    public static SignedManifest signedManifest(OpenUpload upload) {
        OpenUpload.Signed s = upload.signedManifest();
        if (s == null) {
            return null;
        }
        OpenUpload.Manifest m = required(s.manifest(), "signed_manifest.manifest");
        List<String> hashes = required(m.rowHashes(), "signed_manifest.manifest.row_hashes");
        for (int i = 0; i < hashes.size(); i++) {
            required(hashes.get(i), "signed_manifest.manifest.row_hashes[" + i + "]");
        }
        ContributionManifest manifest = new ContributionManifest(
                required(m.datanetId(), "signed_manifest.manifest.datanet_id"),
                required(m.contributor(), "signed_manifest.manifest.contributor"),
                required(m.licence(), "signed_manifest.manifest.licence"),
                required(m.nonce(), "signed_manifest.manifest.nonce"),
                m.rowCount(), m.merkleRoot(), hashes);
        return new SignedManifest(manifest, required(s.signature(), "signed_manifest.signature"));
    }

    /** The chunk plan of an upload request; null when there is none (the registry refuses that by name). */
    public static List<PlannedChunk> chunks(OpenUpload upload) {
        if (upload.chunks() == null) {
            return null;
        }
        List<PlannedChunk> out = new ArrayList<>(upload.chunks().size());
        for (int i = 0; i < upload.chunks().size(); i++) {
            OpenUpload.Chunk c = required(upload.chunks().get(i), "chunks[" + i + "]");
            out.add(new PlannedChunk(c.index(), c.firstRow(), c.rowCount(), c.hash(), c.bytes()));
        }
        return out;
    }

    public static NearDuplicateRequest nearDuplicateRequest(List<SignatureQuery> queries, double threshold) {
        return new NearDuplicateRequest(threshold,
                queries.stream().map(q -> new NearDuplicateRequest.Query(q.row(), q.hash(), q.signature())).toList());
    }

    /** The queries of a request; the registry checks each one's hash and signature. */
    public static List<SignatureQuery> queries(NearDuplicateRequest request) {
        List<NearDuplicateRequest.Query> queries = required(request.queries(), "queries");
        List<SignatureQuery> out = new ArrayList<>(queries.size());
        for (int i = 0; i < queries.size(); i++) {
            NearDuplicateRequest.Query q = required(queries.get(i), "queries[" + i + "]");
            out.add(new SignatureQuery(q.row(), q.hash(), q.signature()));
        }
        return out;
    }

    public static NearDuplicateAnswer answer(List<NodeMatch> matches) {
        return new NearDuplicateAnswer(matches.stream()
                .map(m -> new NearDuplicateAnswer.Match(m.row(), m.nodeRowHash(), m.estimatedSimilarity(), m.exact()))
                .toList());
    }

    public static List<NodeMatch> matches(NearDuplicateAnswer answer) {
        return answer.matches().stream()
                .map(m -> new NodeMatch(m.row(), m.nodeRowHash(), m.estimatedSimilarity(), m.exact()))
                .toList();
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }
}
