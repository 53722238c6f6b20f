package org.openledger.studio.api.registry;

import java.util.List;
import org.openledger.studio.datanet.check.NodeDuplicateIndex;

/** The node rows that match, per query row (MinHash estimates: the node has no text of the new rows). */
public record NearDuplicateAnswer(List<NodeDuplicateIndex.NodeMatch> matches) {
    public NearDuplicateAnswer {
        matches = matches == null ? List.of() : List.copyOf(matches);
    }
}
