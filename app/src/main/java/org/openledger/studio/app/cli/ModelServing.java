package org.openledger.studio.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openledger.studio.attribution.influence.Preconditioner;
import org.openledger.studio.attribution.influence.IndexedRow;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.daemon.registry.DatanetRegistry;
import org.openledger.studio.daemon.registry.RegistryStore;
import org.openledger.studio.daemon.attribution.Attributions;
import org.openledger.studio.daemon.attribution.Fees;
import org.openledger.studio.daemon.finetune.FineTuneServices;
import org.openledger.studio.daemon.inference.InferenceServices;
import org.openledger.studio.daemon.inference.ServedModels;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.device.DeviceException;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.model.BundledModel;

/** Loads the model a node serves, turning every way it can fail into one line for the operator. */
final class ModelServing {

    private ModelServing() {
    }

    /**
     * The served model with its adapters, plus fine-tuning jobs on it (job table in {@code dataDir}) and the
     * attribution of fine-tuned adapters' answers.
     */
    static NodeServices load(Path baseModel, Path adapters, String deviceId, int maxBatch, int maxAdaptersOnDevice,
                             Path dataDir, org.openledger.studio.daemon.finetune.DatanetRows datanets) {
        return load(baseModel, adapters, deviceId, maxBatch,
                org.openledger.studio.gpu.lora.AdapterStore.Limits.ofCount(maxAdaptersOnDevice), dataDir, datanets,
                null, null, null, org.openledger.studio.gpu.lora.LoraCostModel.cpuDefaults()).services();
    }

    /** The node's model services and its attribution (which charges through {@code fees} when given). */
    record Served(NodeServices services, Attributions attributions) {
    }

    /**
     * As above; the rows of {@code registry}'s contributions also go into the attribution span corpus, and served
     * inferences are charged by {@code fees} at {@code price} unless a price is set for the model.
     */
    static Served load(Path baseModel, Path adapters, String deviceId, int maxBatch,
                       org.openledger.studio.gpu.lora.AdapterStore.Limits adapterLimits,
                       Path dataDir, org.openledger.studio.daemon.finetune.DatanetRows datanets,
                       DatanetRegistry registry, Fees fees, Fees.Price price,
                       org.openledger.studio.gpu.lora.LoraCostModel loraCosts) {
        if (!Files.isDirectory(baseModel)) {
            throw new UserError("--base-model " + baseModel + " is not a folder");
        }
        ComputeDevice device;
        try {
            device = DeviceScan.ofThisMachine().pick(deviceId);
        } catch (DeviceException e) {
            throw new UserError(e.getMessage());
        }
        BaseModel base;
        try {
            base = BaseModel.load(baseModel, device, maxBatch, BaseModel.DEFAULT_CONTEXT_CAP);
        } catch (DeviceException e) {
            throw new UserError("The model " + baseModel + " does not fit on " + device.id() + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UserError("The model " + baseModel + " cannot be loaded: " + e.getMessage());
        }
        Attributions attributions;
        try {
            attributions = new Attributions(base, adapters, dataDir, Attributions.DEFAULT_K,
                    Preconditioner.DEFAULT_DAMPING, fees, price);
        } catch (RuntimeException e) {
            throw new UserError("The attribution records in " + dataDir + " cannot be opened: " + e.getMessage());
        }
        if (registry != null) {
            registry.feed(corpusOf(attributions));
            attributions.creditThrough(row -> row.seq() == null ? row.contributor()
                    : registry.creditedContributor(row.datanetId(), row.uploadId(), row.seq()));
        }
        NodeServices serving = InferenceServices.of(ServedModels.of(base, adapters,
                dataDir.resolve("adapters.db"), adapterLimits), maxBatch,
                attributions, loraCosts);
        try {
            return new Served(FineTuneServices.add(serving, base, adapters, dataDir, datanets, attributions),
                    attributions);
        } catch (RuntimeException e) {
            closeQuietly(serving);
            attributions.close();
            throw new UserError("The fine-tuning job table in " + dataDir + " cannot be opened: " + e.getMessage());
        }
    }

    /** A Datanet upload's rows as the span corpus names them: one batch per upload. */
    private static DatanetRegistry.RowsSink corpusOf(Attributions attributions) {
        return new DatanetRegistry.RowsSink() {
            @Override
            public boolean has(String uploadId) {
                return attributions.hasRows("upload:" + uploadId);
            }

            @Override
            public void add(String uploadId, java.util.List<RegistryStore.StoredRow> rows) {
                attributions.addRows("upload:" + uploadId, rows.stream().map(r -> IndexedRow.ofDatanet(r.datanetId(),
                        r.uploadId(), r.seq(), r.contributor(), r.text())).toList());
            }
        };
    }

    /** The model the studio ships, extracted into {@code modelsDir} unless an intact copy is there already. */
    static Path bundled(Path modelsDir) {
        try {
            return new BundledModel().extractTo(modelsDir);
        } catch (IOException e) {
            throw new UserError("The bundled model cannot be extracted into " + modelsDir + ": " + e.getMessage());
        }
    }

    static void closeQuietly(NodeServices services) {
        for (AutoCloseable r : services.resources()) {
            try {
                r.close();
            } catch (Exception ignored) {
                // already failing to start; the start failure is what the operator needs to see
            }
        }
    }
}
