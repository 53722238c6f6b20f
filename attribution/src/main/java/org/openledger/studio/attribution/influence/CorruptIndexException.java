package org.openledger.studio.attribution.influence;

import java.io.IOException;

/** An index file that is missing, truncated or fails its checksum: the index must be rebuilt, never read. */
public final class CorruptIndexException extends IOException {

    public CorruptIndexException(String message) {
        super(message);
    }
}
