package org.openledger.studio.daemon.finetune;

/** No fine-tuning job has the id asked for. */
public final class UnknownJobException extends Exception {

    UnknownJobException(String id) {
        super("No fine-tuning job '" + id + "' on this node (GET /v1/fine_tuning/jobs lists them)");
    }
}
