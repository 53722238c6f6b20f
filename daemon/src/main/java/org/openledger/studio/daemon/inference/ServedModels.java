package org.openledger.studio.daemon.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.openledger.studio.api.openai.ModelList;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.lora.AdapterStore;
import org.openledger.studio.gpu.lora.UnknownAdapterException;

/**
 * What this node serves: one base model and the adapters found in its adapter folder (OpenLoRA: many adapters on one
 * base model). A request names either the base model's id or an adapter's id in {@code model}.
 */
public final class ServedModels implements AutoCloseable {

    /** What a request's {@code model} resolved to; close it when the request is done. */
    public record Target(BaseModel base, AdapterStore.Lease adapter, String id) implements AutoCloseable {
        @Override
        public void close() {
            if (adapter != null) {
                adapter.close();
            }
        }
    }

    private final BaseModel base;
    private final AdapterStore adapters;
    private final Path adapterFolder;
    private final long created = Instant.now().getEpochSecond();

    private ServedModels(BaseModel base, AdapterStore adapters, Path adapterFolder) {
        this.base = base;
        this.adapters = adapters;
        this.adapterFolder = adapterFolder;
    }

    /** A node without a model: inference endpoints answer that nothing is served. */
    public static ServedModels none() {
        return new ServedModels(null, null, null);
    }

    public static ServedModels of(BaseModel base, Path adapterFolder, int maxAdaptersOnDevice) {
        return new ServedModels(base, new AdapterStore(adapterFolder, base, maxAdaptersOnDevice), adapterFolder);
    }

    public boolean hasBase() {
        return base != null;
    }

    public BaseModel base() {
        return base;
    }

    /** The folder the adapters are found in ({@code <folder>/<adapter-id>/}), or null without a model. */
    public Path adapterFolder() {
        return adapterFolder;
    }

    /** Drops an adapter's weights from the device, so that its folder is read again on the next request. */
    public void unload(String adapterId) {
        if (adapters != null) {
            adapters.unload(adapterId);
        }
    }

    public List<ModelList.Model> list() throws IOException {
        List<ModelList.Model> out = new ArrayList<>();
        if (base == null) {
            return out;
        }
        int context = base.context();
        out.add(new ModelList.Model(base.id(), "model", created, "openledger-studio", base.id(), null, "base", context));
        for (String id : adapters.ids()) {
            out.add(new ModelList.Model(id, "model", created, "openledger-studio", base.id(), base.id(), "adapter",
                    context));
        }
        return out;
    }

    /**
     * Resolves a request's {@code model}: the base model, or an adapter held for the request.
     *
     * @throws ModelNotFoundException naming what is served instead
     * @throws IOException            the adapter's files are broken or were made for another base model
     */
    public Target resolve(String modelId) throws ModelNotFoundException, IOException {
        if (base == null) {
            throw new ModelNotFoundException("This node serves no model; start it with --base-model DIR");
        }
        if (modelId == null || modelId.isBlank() || modelId.equals(base.id())) {
            return new Target(base, null, base.id());
        }
        try {
            return new Target(base, adapters.lease(modelId), modelId);
        } catch (UnknownAdapterException e) {
            throw new ModelNotFoundException("The model '" + modelId + "' does not exist on this node; it serves '"
                    + base.id() + "' and its adapters (GET /v1/models lists them)");
        }
    }

    @Override
    public void close() {
        if (adapters != null) {
            adapters.close();
        }
        if (base != null) {
            base.close();
        }
    }
}
