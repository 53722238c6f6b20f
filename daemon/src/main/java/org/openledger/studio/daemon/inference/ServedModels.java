package org.openledger.studio.daemon.inference;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.openledger.studio.api.openai.ModelList;
import org.openledger.studio.daemon.adapters.AdapterCatalog;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.lora.AdapterStore;
import org.openledger.studio.gpu.lora.UnknownAdapterException;

/**
 * What this node serves: one base model and the adapters found in its adapter folder (OpenLoRA: many adapters on one
 * base model). A request names either the base model's id or an adapter's id in {@code model}.
 */
public final class ServedModels implements AutoCloseable {

    /** What a request's {@code model} resolved to; close it when the request is done. */
    public record Target(BaseModel base, AdapterStore.Lease adapter, String id, AdapterCatalog catalog)
            implements AutoCloseable {

        /** Counts the request on its adapter with the completion tokens it generated. */
        public void served(long tokens) {
            if (adapter != null) {
                catalog.served(id, tokens);
            }
        }

        @Override
        public void close() {
            if (adapter != null) {
                adapter.close();
            }
        }
    }

    private final BaseModel base;
    private final AdapterCatalog adapters;
    private final Path adapterFolder;
    private final long created = Instant.now().getEpochSecond();

    private ServedModels(BaseModel base, AdapterCatalog adapters, Path adapterFolder) {
        this.base = base;
        this.adapters = adapters;
        this.adapterFolder = adapterFolder;
    }

    /** A node without a model: inference endpoints answer that nothing is served. */
    public static ServedModels none() {
        return new ServedModels(null, null, null);
    }

    /** At most {@code maxAdaptersOnDevice} adapters uploaded, default byte bounds, the registry beside the folder. */
    public static ServedModels of(BaseModel base, Path adapterFolder, int maxAdaptersOnDevice) {
        return of(base, adapterFolder, adapterFolder.toAbsolutePath().getParent().resolve("adapters.db"),
                AdapterStore.Limits.ofCount(maxAdaptersOnDevice));
    }

    /**
     * @param registry the adapter registry's database ({@code <data>/adapters.db})
     * @param limits   the host and device tiers' bounds
     */
    public static ServedModels of(BaseModel base, Path adapterFolder, Path registry, AdapterStore.Limits limits) {
        return new ServedModels(base, new AdapterCatalog(adapterFolder, base, registry, limits), adapterFolder);
    }

    /** The adapters (null without a model). */
    public AdapterCatalog adapters() {
        return adapters;
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

    /** An adapter's folder was put in place or changed: registered again, its old weights never served again. */
    public void unload(String adapterId) {
        if (adapters != null) {
            adapters.committed(adapterId);
        }
    }

    /** Starts loading the adapter a request names, if it names one (called as soon as the request is read). */
    public void prefetch(String modelId) {
        if (adapters != null && modelId != null && !modelId.isBlank() && !modelId.equals(base.id())) {
            adapters.prefetch(modelId);
        }
    }

    public List<ModelList.Model> list() throws IOException {
        List<ModelList.Model> out = new ArrayList<>();
        if (base == null) {
            return out;
        }
        int context = base.context();
        out.add(new ModelList.Model(base.id(), "model", created, "openledger-studio", base.id(), null, "base", context));
        for (String id : adapters.servedIds()) {
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
            return new Target(base, null, base.id(), adapters);
        }
        // only this request waits for its adapter's load; other requests go on meanwhile
        CompletableFuture<AdapterStore.Lease> lease = adapters.acquire(modelId);
        try {
            return new Target(base, lease.get(), modelId, adapters);
        } catch (InterruptedException e) {
            lease.thenAccept(AdapterStore.Lease::close);
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while the adapter '" + modelId + "' was loading");
        } catch (ExecutionException e) {
            try {
                throw AdapterStore.unwrap(e.getCause());
            } catch (UnknownAdapterException u) {
                throw new ModelNotFoundException("The model '" + modelId + "' does not exist on this node; it serves '"
                        + base.id() + "' and its adapters (GET /v1/models lists them)");
            }
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
