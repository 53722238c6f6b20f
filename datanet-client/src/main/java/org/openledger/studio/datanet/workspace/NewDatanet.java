package org.openledger.studio.datanet.workspace;

import java.util.List;
import java.util.Objects;

/** What a user fills in to create a Datanet. */
public record NewDatanet(String name, String summary, String description, List<String> tags, String licence,
                         String owner) {
    public NewDatanet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(licence, "licence");
        Objects.requireNonNull(owner, "owner");
        summary = summary == null ? "" : summary;
        description = description == null ? "" : description;
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
