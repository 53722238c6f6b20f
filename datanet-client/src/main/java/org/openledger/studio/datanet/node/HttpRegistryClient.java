package org.openledger.studio.datanet.node;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.registry.RegistryApi;
import org.openledger.studio.api.registry.RegistryInfo;
import org.openledger.studio.api.registry.UploadStatus;
import org.openledger.studio.datanet.check.NodeDuplicateIndex;
import org.openledger.studio.datanet.contribution.ContributionRejectedException;
import org.openledger.studio.datanet.contribution.PlannedChunk;
import org.openledger.studio.datanet.contribution.RegistryClient;
import org.openledger.studio.datanet.contribution.SignedManifest;

/**
 * The node's Datanet registry over HTTP: the upload engine's {@link RegistryClient} and, per Datanet, its
 * {@link NodeDuplicateIndex}, on daemon-api's {@link RegistryApi} through {@link RegistryWire}. A 400 from the node on
 * a manifest or a chunk is a refusal with the node's reason; anything else (unreachable, token refused) stays a
 * {@link NodeClientException}, and the upload can be resumed.
 */
public final class HttpRegistryClient implements RegistryClient {

    private final RegistryApi api;

    public HttpRegistryClient(NodeClient node) {
        this.api = new RegistryApi(node);
    }

    /** The domain the node checks signatures against. */
    public RegistryInfo info() {
        return api.info();
    }

    @Override
    public RemoteUpload open(SignedManifest manifest, List<PlannedChunk> chunks) {
        try {
            UploadStatus s = api.open(RegistryWire.openUpload(manifest, chunks));
            return new RemoteUpload(s.id(), new HashSet<>(s.receivedChunks()));
        } catch (NodeClientException e) {
            throw refusal(e);
        }
    }

    public UploadStatus status(String remoteId) {
        return api.status(remoteId);
    }

    @Override
    public Set<Integer> receivedChunks(String remoteId) {
        return new HashSet<>(status(remoteId).receivedChunks());
    }

    @Override
    public ChunkReceipt sendChunk(String remoteId, int index, byte[] payload, String hash) {
        try {
            api.putChunk(remoteId, index, payload, hash);
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
            UploadStatus s = api.finish(remoteId);
            return new ContributionReceipt(s.id(), s.state(), s.rows());
        } catch (NodeClientException e) {
            throw refusal(e);
        }
    }

    /** The finished contributions the node holds for the Datanet with this on-chain id. */
    public List<UploadStatus> contributions(BigInteger datanetId) {
        return api.contributions(datanetId).contributions();
    }

    /** The node's near-duplicate index of one Datanet, asked over HTTP. */
    public NodeDuplicateIndex duplicateIndex(BigInteger datanetId) {
        return (queries, threshold) -> RegistryWire.matches(
                api.nearDuplicates(datanetId, RegistryWire.nearDuplicateRequest(queries, threshold)));
    }

    private static RuntimeException refusal(NodeClientException e) {
        return e.status() == 400 ? new ContributionRejectedException(reason(e)) : e;
    }

    private static String reason(NodeClientException e) {
        return e.error() != null && e.error().error() != null ? e.error().error().message() : e.getMessage();
    }
}
