package org.openledger.studio.datanet.contribution;

import java.time.Instant;
import java.util.Locale;

/** Where an upload stands, for the contribution history and the progress bar. */
public record UploadState(long uploadId, long datanetId, String merkleRoot, int rows, Stage stage, int chunksSent,
                          int chunksTotal, String remoteId, Instant createdAt) {

    /** prepared → signed → uploading → complete; or discarded before it was sent. */
    public enum Stage {
        PREPARED, SIGNED, UPLOADING, COMPLETE, DISCARDED;

        String sql() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Stage fromSql(String s) {
            return valueOf(s.toUpperCase(Locale.ROOT));
        }
    }
}
