package org.openledger.studio.gpu.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code rope_scaling} of a Llama-family config, for the kinds that only change the rotary frequencies:
 * {@code linear} (position interpolation: every frequency divided by {@code factor}) and {@code llama3} (Llama 3.1 and
 * later: wavelengths longer than {@code original_max_position_embeddings / low_freq_factor} divided by
 * {@code factor}, those shorter than {@code original / high_freq_factor} kept, a linear blend between). Kinds that
 * change with the sequence length or scale attention ({@code dynamic}, {@code yarn}, {@code longrope}) are refused
 * when the config is read, never run approximately.
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositions) {

    /** Null for a config without scaling (absent, null, or {@code rope_type} "default"). */
    static RopeScaling parse(JsonNode n, String where) throws InvalidModelException {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new InvalidModelException(where + ": rope_scaling must be an object, not " + n);
        }
        String type = n.hasNonNull("rope_type") ? n.get("rope_type").asText() : n.path("type").asText("");
        switch (type) {
            case "default":
                return null;
            case "linear":
                return new RopeScaling("linear", factor(n, where), 0, 0, 0);
            case "llama3": {
                double low = positive(n, "low_freq_factor", where);
                double high = positive(n, "high_freq_factor", where);
                if (!(high > low)) {
                    throw new InvalidModelException(where + ": rope_scaling high_freq_factor " + high
                            + " must be above low_freq_factor " + low);
                }
                int original = n.path("original_max_position_embeddings").asInt(0);
                if (original <= 0) {
                    throw new InvalidModelException(where + ": rope_scaling llama3 needs a positive "
                            + "original_max_position_embeddings");
                }
                return new RopeScaling("llama3", factor(n, where), low, high, original);
            }
            default:
                throw new InvalidModelException(where + ": rope_scaling of type '" + type + "' is not supported;"
                        + " this runtime runs 'linear' and 'llama3' scaling ('dynamic', 'yarn' and 'longrope'"
                        + " change with the sequence length or scale attention)");
        }
    }

    /** The scaled inverse frequencies, one per rotated pair, from the unscaled ones. */
    double[] apply(double[] inverseFrequency) {
        double[] out = inverseFrequency.clone();
        for (int i = 0; i < out.length; i++) {
            double f = inverseFrequency[i];
            if (type.equals("linear")) {
                out[i] = f / factor;
                continue;
            }
            double wavelength = 2 * Math.PI / f;
            double lowFreqWavelength = originalMaxPositions / lowFreqFactor;
            double highFreqWavelength = originalMaxPositions / highFreqFactor;
            if (wavelength > lowFreqWavelength) {
                out[i] = f / factor;
            } else if (wavelength >= highFreqWavelength) {
                double smooth = (originalMaxPositions / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                out[i] = (1 - smooth) * f / factor + smooth * f;
            }
        }
        return out;
    }

    void write(ObjectNode config) {
        ObjectNode n = config.putObject("rope_scaling");
        n.put("rope_type", type);
        n.put("factor", factor);
        if (type.equals("llama3")) {
            n.put("low_freq_factor", lowFreqFactor);
            n.put("high_freq_factor", highFreqFactor);
            n.put("original_max_position_embeddings", originalMaxPositions);
        }
    }

    private static double factor(JsonNode n, String where) throws InvalidModelException {
        double f = positive(n, "factor", where);
        if (f < 1) {
            throw new InvalidModelException(where + ": rope_scaling factor must be at least 1, got " + f);
        }
        return f;
    }

    private static double positive(JsonNode n, String field, String where) throws InvalidModelException {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber() || !(v.asDouble() > 0) || !Double.isFinite(v.asDouble())) {
            throw new InvalidModelException(where + ": rope_scaling needs a positive number '" + field + "'");
        }
        return v.asDouble();
    }
}
