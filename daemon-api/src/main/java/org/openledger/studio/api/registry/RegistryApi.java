package org.openledger.studio.api.registry;

import java.math.BigInteger;
import java.util.Map;
import org.openledger.studio.api.NodeClient;

/**
 * The node's Datanet registry endpoints, in the protocol's records only. Every failure is the {@link NodeClient}'s
 * {@code NodeClientException} (a 400 carries the node's reason); the upload engine's view of it, with refusals as
 * its own exceptions, is {@code datanet.node.HttpRegistryClient} in datanet-client.
 */
public final class RegistryApi {

    private final NodeClient node;

    public RegistryApi(NodeClient node) {
        this.node = node;
    }

    /** The domain the node checks signatures against. */
    public RegistryInfo info() {
        return node.get("v1/registry", RegistryInfo.class);
    }

    public UploadStatus open(OpenUpload upload) {
        return node.post("v1/registry/uploads", upload, UploadStatus.class);
    }

    public UploadStatus status(String remoteId) {
        return node.get("v1/registry/uploads/" + remoteId, UploadStatus.class);
    }

    /** Sends one chunk's raw JSON lines with the hash the node checks them against. */
    public ChunkAccepted putChunk(String remoteId, int index, byte[] payload, String hash) {
        return node.put("v1/registry/uploads/" + remoteId + "/chunks/" + index, Map.of("hash", hash), payload,
                "application/x-ndjson", ChunkAccepted.class);
    }

    public UploadStatus finish(String remoteId) {
        return node.post("v1/registry/uploads/" + remoteId + "/finish", Map.of(), UploadStatus.class);
    }

    /** The finished contributions the node holds for the Datanet with this on-chain id. */
    public ContributionList contributions(BigInteger datanetId) {
        return node.get("v1/datanets/" + datanetId + "/contributions", ContributionList.class);
    }

    public NearDuplicateAnswer nearDuplicates(BigInteger datanetId, NearDuplicateRequest request) {
        return node.post("v1/datanets/" + datanetId + "/near-duplicates", request, NearDuplicateAnswer.class);
    }
}
