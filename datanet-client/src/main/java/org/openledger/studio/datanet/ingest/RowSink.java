package org.openledger.studio.datanet.ingest;

/** Receives rows as a reader produces them, so that no file is ever held in memory whole. */
@FunctionalInterface
public interface RowSink {
    void accept(IngestedRow row);
}
