package org.openledger.studio.api.registry;

import java.util.List;
import org.openledger.studio.datanet.check.NodeDuplicateIndex;

/** {@code POST /v1/datanets/{id}/near-duplicates}: MinHash signatures to look up, and the threshold. */
public record NearDuplicateRequest(double threshold, List<NodeDuplicateIndex.SignatureQuery> queries) {
}
