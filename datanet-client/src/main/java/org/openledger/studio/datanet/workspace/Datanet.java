package org.openledger.studio.datanet.workspace;

import java.time.Instant;
import java.util.List;

/** A Datanet as the workspace knows it. {@code description} is Markdown. */
public record Datanet(long id, String name, String summary, String description, List<String> tags, String licence,
                      String owner, String type, Instant createdAt, List<DatanetVersion> versions) {
    public Datanet {
        tags = List.copyOf(tags);
        versions = List.copyOf(versions);
    }

    /** The newest version number, 0 before the first. */
    public int currentVersion() {
        return versions.isEmpty() ? 0 : versions.get(versions.size() - 1).number();
    }
}
