package org.openledger.studio.gpu.lora;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openledger.studio.gpu.model.InvalidModelException;
import org.openledger.studio.gpu.model.ModelConfig;
import org.openledger.studio.gpu.model.Projection;
import org.openledger.studio.gpu.safetensors.DType;
import org.openledger.studio.gpu.safetensors.SafetensorsFile;
import org.openledger.studio.gpu.safetensors.SafetensorsWriter;
import org.openledger.studio.gpu.safetensors.Tensor;

/**
 * A LoRA adapter in PEFT format, held on the Java heap: for each targeted projection of each layer,
 * A [r, in] and B [out, r], with ΔW = scale · B · A.
 */
public final class Adapter {

    public static final String WEIGHTS_FILE = "adapter_model.safetensors";
    private static final Pattern NAME = Pattern.compile(
            "base_model\\.model\\.model\\.layers\\.(\\d+)\\.(?:self_attn|mlp)\\.(\\w+)\\.lora_([AB])(?:\\.[\\w-]+)?\\.weight");

    /** The two factors of one projection's update. */
    public record Factors(Tensor a, Tensor b) {
    }

    /** Where a pair of factors sits. */
    public record Site(int layer, Projection projection) {
    }

    private final String id;
    private final AdapterConfig config;
    private final Map<Site, Factors> factors;

    public Adapter(String id, AdapterConfig config, Map<Site, Factors> factors) {
        this.id = id;
        this.config = config;
        this.factors = Map.copyOf(factors);
    }

    /** Reads {@code adapter_config.json} and {@code adapter_model.safetensors}; the folder name is the id. */
    public static Adapter load(Path dir) throws IOException {
        AdapterConfig config = AdapterConfig.read(dir);
        Path file = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(file)) {
            String hint = Files.exists(dir.resolve("adapter_model.bin"))
                    ? " (adapter_model.bin is a pickle, which is never loaded; re-save with safe_serialization=True)"
                    : "";
            throw new InvalidModelException(dir + " has no " + WEIGHTS_FILE + hint);
        }
        Map<Site, Tensor> as = new LinkedHashMap<>();
        Map<Site, Tensor> bs = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                Matcher m = NAME.matcher(name);
                Projection p = m.matches() ? Projection.ofModule(m.group(2)) : null;
                if (p == null) {
                    throw new InvalidModelException(file + ": tensor '" + name + "' is not a LoRA factor of a "
                            + "q/k/v/o/gate/up/down projection");
                }
                if (!config.targetModules().contains(p)) {
                    throw new InvalidModelException(file + ": tensor '" + name + "' targets " + p.module()
                            + ", which target_modules does not list");
                }
                int layer;
                try {
                    layer = Integer.parseInt(m.group(1));
                } catch (NumberFormatException e) {
                    throw new InvalidModelException(file + ": tensor '" + name + "' names layer " + m.group(1)
                            + ", which no model has");
                }
                Tensor t = f.read(name);
                for (float v : t.values()) {
                    if (!Float.isFinite(v)) {
                        throw new InvalidModelException(file + ": tensor '" + name + "' holds " + v
                                + "; every LoRA weight must be a finite number");
                    }
                }
                (m.group(3).equals("A") ? as : bs).put(new Site(layer, p), t);
            }
        }
        Map<Site, Factors> factors = new LinkedHashMap<>();
        for (Map.Entry<Site, Tensor> e : as.entrySet()) {
            Tensor b = bs.remove(e.getKey());
            if (b == null) {
                throw new InvalidModelException(file + ": " + name(e.getKey(), "A") + " has no lora_B partner");
            }
            factors.put(e.getKey(), new Factors(e.getValue(), b));
        }
        if (!bs.isEmpty()) {
            throw new InvalidModelException(file + ": " + name(bs.keySet().iterator().next(), "B")
                    + " has no lora_A partner");
        }
        if (factors.isEmpty()) {
            throw new InvalidModelException(file + " holds no LoRA factors");
        }
        Adapter adapter = new Adapter(dir.toAbsolutePath().normalize().getFileName().toString(), config, factors);
        adapter.checkRanks(file.toString());
        return adapter;
    }

    private void checkRanks(String where) throws InvalidModelException {
        for (Map.Entry<Site, Factors> e : factors.entrySet()) {
            Tensor a = e.getValue().a();
            Tensor b = e.getValue().b();
            if (a.rank() != 2 || b.rank() != 2 || a.dim(0) != config.r() || b.dim(1) != config.r()) {
                throw new InvalidModelException(where + ": " + name(e.getKey(), "A") + " is "
                        + Arrays.toString(a.shape()) + " and lora_B is " + Arrays.toString(b.shape())
                        + ", but r = " + config.r());
            }
        }
    }

    /** The PEFT tensor name of a factor. */
    public static String name(Site site, String factor) {
        return "base_model.model." + site.projection().path(site.layer()) + ".lora_" + factor + ".weight";
    }

    /**
     * Refuses an adapter made for another base model: a different name in base_model_name_or_path, a layer the
     * model does not have, or factor shapes that do not fit the model's projections.
     */
    public void checkFits(String baseModelId, ModelConfig base) throws AdapterMismatchException {
        String named = config.baseModelNameOrPath();
        if (named != null && !named.isBlank() && baseModelId != null) {
            String last = Path.of(named.replace('\\', '/')).getFileName().toString();
            if (!last.equalsIgnoreCase(baseModelId)) {
                throw new AdapterMismatchException("adapter '" + id + "' was trained on base model '" + named
                        + "', not '" + baseModelId + "' (edit base_model_name_or_path if they are the same model)");
            }
        }
        for (Map.Entry<Site, Factors> e : factors.entrySet()) {
            Site s = e.getKey();
            if (s.layer() >= base.numLayers()) {
                throw new AdapterMismatchException("adapter '" + id + "' has factors for layer " + s.layer()
                        + " but the base model has " + base.numLayers() + " layers");
            }
            long[] w = s.projection().weightShape(base);
            long[] a = e.getValue().a().shape();
            long[] b = e.getValue().b().shape();
            if (a[1] != w[1] || b[0] != w[0]) {
                throw new AdapterMismatchException("adapter '" + id + "': " + name(s, "A") + " " + Arrays.toString(a)
                        + " and lora_B " + Arrays.toString(b) + " do not fit the base weight " + Arrays.toString(w)
                        + " (expected A [" + config.r() + ", " + w[1] + "] and B [" + w[0] + ", " + config.r() + "])");
            }
        }
    }

    /** Writes the adapter as PEFT does (float32). */
    public void save(Path dir) throws IOException {
        config.write(dir);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<Site, Factors> e : factors.entrySet()) {
            tensors.put(name(e.getKey(), "A"), e.getValue().a());
            tensors.put(name(e.getKey(), "B"), e.getValue().b());
        }
        SafetensorsWriter.write(dir.resolve(WEIGHTS_FILE), tensors, DType.F32, Map.of("format", "pt"));
    }

    public String id() {
        return id;
    }

    public AdapterConfig config() {
        return config;
    }

    public Map<Site, Factors> factors() {
        return factors;
    }
}
