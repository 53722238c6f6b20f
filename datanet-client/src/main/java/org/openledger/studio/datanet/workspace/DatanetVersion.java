package org.openledger.studio.datanet.workspace;

import java.time.Instant;

/** A numbered version of a Datanet (1, 2, ...), with a note on what changed. */
public record DatanetVersion(int number, String note, Instant createdAt) {
}
