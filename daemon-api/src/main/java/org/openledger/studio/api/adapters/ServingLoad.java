package org.openledger.studio.api.adapters;

/**
 * How busy a node's inference is, from its Prometheus {@code /metrics}: rows queued or being generated now
 * ({@code studio_inference_active_rows}, the queue depth) and completion tokens generated since it started
 * ({@code studio_inference_tokens_total}; two readings give tokens per second). Both are null when the node does
 * not report them (a node without a model).
 */
public record ServingLoad(Long activeRows, Long tokensTotal) {

    public static final String ACTIVE_ROWS = "studio_inference_active_rows";
    public static final String TOKENS_TOTAL = "studio_inference_tokens_total";

    /** Reads the two samples out of Prometheus text; lines it does not know, and malformed ones, are skipped. */
    public static ServingLoad parse(String prometheusText) {
        Long rows = null;
        Long tokens = null;
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith(ACTIVE_ROWS + " ")) {
                rows = number(line.substring(ACTIVE_ROWS.length() + 1));
            } else if (line.startsWith(TOKENS_TOTAL + " ")) {
                tokens = number(line.substring(TOKENS_TOTAL.length() + 1));
            }
        }
        return new ServingLoad(rows, tokens);
    }

    private static Long number(String text) {
        String s = text.trim();
        int space = s.indexOf(' '); // an optional timestamp follows the value
        try {
            double v = Double.parseDouble(space < 0 ? s : s.substring(0, space));
            return Double.isFinite(v) ? Math.round(v) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
