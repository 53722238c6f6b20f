package org.openledger.studio.datanet.ingest;

/** Told how far a long job has come; {@code total} is -1 when unknown. Called from the working thread. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    void progress(long done, long total);
}
