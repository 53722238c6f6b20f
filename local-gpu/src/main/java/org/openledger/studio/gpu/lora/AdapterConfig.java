package org.openledger.studio.gpu.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openledger.studio.gpu.model.InvalidModelException;
import org.openledger.studio.gpu.model.Projection;

/**
 * PEFT's {@code adapter_config.json} for a LoRA: rank, alpha, which projections it targets, and whether it uses
 * rank-stabilised scaling. Features this runtime does not apply (rank_pattern, modules_to_save, trained biases,
 * DoRA) are refused rather than silently ignored.
 */
public record AdapterConfig(int r, double loraAlpha, Set<Projection> targetModules, boolean useRslora,
                            String baseModelNameOrPath, double loraDropout) {

    public static final String FILE = "adapter_config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public AdapterConfig {
        targetModules = Set.copyOf(targetModules);
        if (r <= 0) {
            throw new IllegalArgumentException("LoRA rank r must be positive, got " + r);
        }
        if (!(loraDropout >= 0 && loraDropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + loraDropout);
        }
    }

    /** Without dropout (which only matters while training; inference never applies it). */
    public AdapterConfig(int r, double loraAlpha, Set<Projection> targetModules, boolean useRslora,
                         String baseModelNameOrPath) {
        this(r, loraAlpha, targetModules, useRslora, baseModelNameOrPath, 0.0);
    }

    /** ΔW = scale · B · A, with scale = alpha / r, or alpha / sqrt(r) under rsLoRA (Kalajdzievski 2023). */
    public double scale() {
        return useRslora ? loraAlpha / Math.sqrt(r) : loraAlpha / r;
    }

    /** The largest rank read: far above any real adapter's, far below what would wrap a size computation. */
    public static final int MAX_RANK = 65_536;
    /** The largest lora_alpha read (real ones are 1 to a few hundred); 1e308 would make every output infinite. */
    public static final double MAX_ALPHA = 1e6;
    /**
     * The longest {@code target_modules} regular expression taken. PEFT's are a few dozen characters; the JDK
     * compiles a long literal run in time that grows with its square (found by fuzzing: 157,000 characters held
     * the read for more than 5 s).
     */
    static final int MAX_PATTERN_CHARS = 1024;

    public static AdapterConfig read(Path dir) throws InvalidModelException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException(dir + " has no " + FILE + "; a PEFT LoRA adapter folder needs "
                    + FILE + " and adapter_model.safetensors");
        }
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidModelException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new InvalidModelException(file + " is not a JSON object");
        }
        String where = file.toString();
        String type = n.path("peft_type").asText("LORA");
        if (!type.equals("LORA")) {
            throw new InvalidModelException(where + ": peft_type " + type + " is not supported; only LORA is");
        }
        refuseIfSet(n, "modules_to_save", where);
        refuseIfSet(n, "rank_pattern", where);
        refuseIfSet(n, "alpha_pattern", where);
        refuseIfSet(n, "layers_to_transform", where);
        if (n.path("use_dora").asBoolean(false)) {
            throw new InvalidModelException(where + ": DoRA adapters (use_dora) are not supported");
        }
        String bias = n.path("bias").asText("none");
        if (!bias.equals("none")) {
            throw new InvalidModelException(where + ": bias='" + bias + "' is not supported; only 'none' is");
        }
        JsonNode rNode = n.get("r");
        // canConvertToInt: r above 2^31 must not be read as what it wraps to
        if (rNode == null || !rNode.isIntegralNumber() || !rNode.canConvertToInt() || rNode.asInt() <= 0
                || rNode.asInt() > MAX_RANK) {
            throw new InvalidModelException(where + ": r must be an integer from 1 to " + MAX_RANK + ", got " + rNode);
        }
        int r = rNode.asInt();
        JsonNode alphaNode = n.get("lora_alpha");
        double alpha = alphaNode == null || alphaNode.isNull() ? 8 : alphaNode.isNumber() ? alphaNode.asDouble()
                : Double.NaN;
        if (!(Math.abs(alpha) <= MAX_ALPHA)) {
            throw new InvalidModelException(where + ": lora_alpha must be a finite number of at most " + MAX_ALPHA
                    + " in size, got " + alphaNode);
        }
        Set<Projection> targets = EnumSet.noneOf(Projection.class);
        JsonNode t = n.get("target_modules");
        if (t == null || t.isNull()) {
            throw new InvalidModelException(where + ": target_modules is missing");
        }
        if (t.isArray()) {
            for (JsonNode m : t) {
                Projection p = Projection.ofModule(m.asText());
                if (p == null) {
                    throw new InvalidModelException(where + ": target module '" + m.asText() + "' is not one of "
                            + "q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj");
                }
                targets.add(p);
            }
        } else {
            // a string is a regular expression matched against full module names, as PEFT does
            Pattern pattern;
            if (t.asText().length() > MAX_PATTERN_CHARS) {
                throw new InvalidModelException(where + ": target_modules is a regular expression of "
                        + t.asText().length() + " characters; at most " + MAX_PATTERN_CHARS + " are taken");
            }
            try {
                pattern = Pattern.compile(t.asText());
            } catch (PatternSyntaxException e) {
                throw new InvalidModelException(where + ": target_modules '" + t.asText()
                        + "' is not a valid regular expression: " + e.getDescription());
            }
            try {
                for (Projection p : Projection.values()) {
                    if (BoundedText.matches(pattern, p.path(0)) || BoundedText.matches(pattern, p.module())) {
                        targets.add(p);
                    }
                }
            } catch (BoundedText.TooCostly e) {
                throw new InvalidModelException(where + ": target_modules '" + t.asText() + "' takes more than "
                        + BoundedText.BUDGET + " steps to match a module name (a pattern that backtracks without"
                        + " end)");
            }
        }
        if (targets.isEmpty()) {
            throw new InvalidModelException(where + ": target_modules " + t + " selects no projection");
        }
        String base = n.path("base_model_name_or_path").isTextual() ? n.get("base_model_name_or_path").asText() : null;
        double dropout = n.path("lora_dropout").asDouble(0.0);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new InvalidModelException(where + ": lora_dropout must be in [0, 1), got " + dropout);
        }
        return new AdapterConfig(r, alpha, targets, n.path("use_rslora").asBoolean(false), base, dropout);
    }

    private static void refuseIfSet(JsonNode n, String key, String where) throws InvalidModelException {
        JsonNode v = n.get(key);
        if (v != null && !v.isNull() && !(v.isContainerNode() && v.isEmpty())) {
            throw new InvalidModelException(where + ": " + key + " is not supported by this runtime");
        }
    }

    public void write(Path dir) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("peft_type", "LORA");
        n.put("task_type", "CAUSAL_LM");
        n.put("r", r);
        n.put("lora_alpha", loraAlpha);
        n.put("lora_dropout", loraDropout);
        n.put("bias", "none");
        n.put("use_rslora", useRslora);
        var targets = n.putArray("target_modules");
        for (Projection p : Projection.values()) {
            if (targetModules.contains(p)) {
                targets.add(p.module());
            }
        }
        if (baseModelNameOrPath != null) {
            n.put("base_model_name_or_path", baseModelNameOrPath);
        }
        n.put("inference_mode", true);
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE).toFile(), n);
    }
}
