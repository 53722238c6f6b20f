package org.openledger.studio.api.registry;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.datanet.check.NodeDuplicateIndex;
import org.openledger.studio.datanet.contribution.ContributionRejectedException;
import org.openledger.studio.datanet.contribution.PlannedChunk;
import org.openledger.studio.datanet.contribution.RegistryClient;
import org.openledger.studio.datanet.contribution.SignedManifest;

/**
 * The node's Datanet registry over HTTP: the upload engine's {@link RegistryClient} and, per Datanet, its
 * {@link NodeDuplicateIndex}. A 400 from the node on a manifest or a chunk is a refusal with the node's reason;
 * anything else (unreachable, token refused) stays a {@link NodeClientException}, and the upload can be resumed.
 */
public final class HttpRegistryClient implements RegistryClient {

    private final NodeClient node;

    public HttpRegistryClient(NodeClient node) {
        this.node = node;
    }

    /** The domain the node checks signatures against. */
    public RegistryInfo info() {
        return node.get("v1/registry", RegistryInfo.class);
    }

    @Override
    public RemoteUpload open(SignedManifest manifest, List<PlannedChunk> chunks) {
        try {
            UploadStatus s = node.post("v1/registry/uploads", new OpenUpload(manifest, chunks), UploadStatus.class);
            return new RemoteUpload(s.id(), new HashSet<>(s.receivedChunks()));
        } catch (NodeClientException e) {
            throw refusal(e);
        }
    }

    public UploadStatus status(String remoteId) {
        return node.get("v1/registry/uploads/" + remoteId, UploadStatus.class);
    }

    @Override
    public Set<Integer> receivedChunks(String remoteId) {
        return new HashSet<>(status(remoteId).receivedChunks());
    }

    @Override
    public ChunkReceipt sendChunk(String remoteId, int index, byte[] payload, String hash) {
        try {
            node.put("v1/registry/uploads/" + remoteId + "/chunks/" + index, Map.of("hash", hash), payload,
                    "application/x-ndjson", ChunkAccepted.class);
            return ChunkReceipt.ok();
        } catch (NodeClientException e) {
            if (e.status() == 400) {
                return ChunkReceipt.refused(reason(e));
            }
            throw e;
        }
    }

    @Override
    public ContributionReceipt finish(String remoteId) {
        try {
            UploadStatus s = node.post("v1/registry/uploads/" + remoteId + "/finish", Map.of(), UploadStatus.class);
            return new ContributionReceipt(s.id(), s.state(), s.rows());
        } catch (NodeClientException e) {
            throw refusal(e);
        }
    }

    /** The finished contributions the node holds for the Datanet with this on-chain id. */
    public List<UploadStatus> contributions(BigInteger datanetId) {
        return node.get("v1/datanets/" + datanetId + "/contributions", ContributionList.class).contributions();
    }

    /** The node's near-duplicate index of one Datanet, asked over HTTP. */
    public NodeDuplicateIndex duplicateIndex(BigInteger datanetId) {
        return (queries, threshold) -> node.post("v1/datanets/" + datanetId + "/near-duplicates",
                new NearDuplicateRequest(threshold, queries), NearDuplicateAnswer.class).matches();
    }

    private static RuntimeException refusal(NodeClientException e) {
        return e.status() == 400 ? new ContributionRejectedException(reason(e)) : e;
    }

    private static String reason(NodeClientException e) {
        return e.error() != null && e.error().error() != null ? e.error().error().message() : e.getMessage();
    }
}
