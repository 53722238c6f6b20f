package org.openledger.studio.gpu.generate;

import java.util.List;

/**
 * One token of a prompt or a completion.
 *
 * @param logprob its log-probability given what came before; null for the first prompt token or when prompt
 *                log-probabilities were not asked for
 * @param top     the most likely alternatives at this position (as many as the request's {@code logprobs})
 */
public record GeneratedToken(long id, String text, Float logprob, List<TokenLogprob> top) {

    public GeneratedToken {
        top = List.copyOf(top);
    }
}
