package org.openledger.studio.daemon.inference;

/** Queues the attribution of an answer just served; never waits. */
@FunctionalInterface
public interface AnswerAttribution {

    AnswerAttribution NONE = (model, prompt, completion) -> null;

    /** @return the attribution record's id, or null when the model's answers are not attributed */
    String submit(String model, long[] prompt, long[] completion);
}
