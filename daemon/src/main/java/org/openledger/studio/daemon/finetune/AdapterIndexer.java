package org.openledger.studio.daemon.finetune;

/** Receives each adapter a fine-tuning job finishes, with the rows it learned from (for attribution). */
@FunctionalInterface
public interface AdapterIndexer {

    AdapterIndexer NONE = (adapter, rows) -> { };

    /** Called on the training thread once the adapter is in place; must only queue work. */
    void index(String adapter, TrainingRows rows);
}
