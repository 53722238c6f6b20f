package org.openledger.studio.api.registry;

import java.util.List;

/** {@code GET /v1/datanets/{id}/contributions}: the finished contributions the node holds for a Datanet. */
public record ContributionList(List<UploadStatus> contributions) {
    public ContributionList {
        contributions = contributions == null ? List.of() : List.copyOf(contributions);
    }
}
