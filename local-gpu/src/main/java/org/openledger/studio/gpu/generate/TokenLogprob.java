package org.openledger.studio.gpu.generate;

/** A candidate token and its log-probability under the model (natural log, temperature 1, before any filter). */
public record TokenLogprob(long id, String text, float logprob) {
}
