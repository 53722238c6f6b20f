package org.openledger.studio.api.openai;

import java.util.List;

/**
 * {@code GET /v1/models}: the base model and every adapter this node serves. An adapter names its base model in
 * {@code root} and {@code parent}, as vLLM does; {@code pricing} is what the node charges for it.
 */
public record ModelList(String object, List<Model> data) {

    public static ModelList of(List<Model> models) {
        return new ModelList("list", List.copyOf(models));
    }

    /**
     * @param kind {@code base} or {@code adapter} (a studio extension; OpenAI clients ignore it)
     */
    public record Model(String id, String object, long created, String ownedBy, String root, String parent,
                        String kind, Integer maxModelLen,
                        org.openledger.studio.api.attribution.Pricing.Price pricing) {

        public Model(String id, String object, long created, String ownedBy, String root, String parent, String kind,
                     Integer maxModelLen) {
            this(id, object, created, ownedBy, root, parent, kind, maxModelLen, null);
        }

        /** The same model with the node's price for it. */
        public Model withPricing(org.openledger.studio.api.attribution.Pricing.Price p) {
            return new Model(id, object, created, ownedBy, root, parent, kind, maxModelLen, p);
        }
    }
}
