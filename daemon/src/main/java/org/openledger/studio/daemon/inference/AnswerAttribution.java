package org.openledger.studio.daemon.inference;

/** Queues the attribution of an answer just served; never waits. */
@FunctionalInterface
public interface AnswerAttribution {

    AnswerAttribution NONE = (model, prompt, completion) -> null;

    /** @return the attribution record's id, or null when the model's answers are not attributed */
    String submit(String model, long[] prompt, long[] completion);

    /** What the node charges for {@code model}, or null when it does not charge. */
    default org.openledger.studio.api.attribution.Pricing.Price price(String model) {
        return null;
    }

    /** The models with the node's price of each. */
    default java.util.List<org.openledger.studio.api.openai.ModelList.Model> priced(
            java.util.List<org.openledger.studio.api.openai.ModelList.Model> models) {
        return models.stream().map(m -> m.withPricing(price(m.id()))).toList();
    }
}
