package org.openledger.studio.gpu.generate;

/**
 * Measured speed of a model at one batch size. Decode is bound by memory bandwidth: every step streams all the
 * weights once, so {@code weightBytesPerSecond} = steps/s x weight bytes is the number to hold against the
 * device's bandwidth.
 */
public record Throughput(int batch, int promptTokens, int newTokens, double prefillTokensPerSecond,
                         double decodeTokensPerSecond, double weightBytesPerSecond) {

    @Override
    public String toString() {
        return String.format("batch %d, prompt %d, new %d: prefill %.0f tok/s, decode %.0f tok/s, weights %.2f GB/s",
                batch, promptTokens, newTokens, prefillTokensPerSecond, decodeTokensPerSecond,
                weightBytesPerSecond / 1e9);
    }
}
