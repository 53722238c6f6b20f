package org.openledger.studio.daemon.finetune;

import java.nio.file.Path;
import org.openledger.studio.api.NodeInfo;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.daemon.attribution.Attributions;
import org.openledger.studio.daemon.handlers.AttributionHandlers;
import org.openledger.studio.daemon.handlers.FineTuneHandlers;
import org.openledger.studio.gpu.BaseModel;

/** Adds fine-tuning jobs to a node that serves {@code base} with adapters from {@code adapterFolder}. */
public final class FineTuneServices {

    private FineTuneServices() {
    }

    /** {@code services} plus the fine-tuning routes, the "fine_tuning" capability and the job runner to close. */
    public static NodeServices add(NodeServices services, BaseModel base, Path adapterFolder, Path dataDir) {
        return add(services, base, adapterFolder, dataDir, DatanetRows.NONE);
    }

    /** As above, training on Datanets whose rows {@code registry} gives. */
    public static NodeServices add(NodeServices services, BaseModel base, Path adapterFolder, Path dataDir,
                                   DatanetRows registry) {
        return add(services, base, adapterFolder, dataDir, registry, null);
    }

    /**
     * As above; with {@code attributions}, each finished adapter gets an influence index and the attribution
     * routes are served.
     */
    public static NodeServices add(NodeServices services, BaseModel base, Path adapterFolder, Path dataDir,
                                   DatanetRows registry, Attributions attributions) {
        FineTuneJobs jobs = FineTuneJobs.open(base, adapterFolder, dataDir, registry,
                attributions == null ? AdapterIndexer.NONE : attributions);
        NodeServices out = services.withRoutes(new FineTuneHandlers(jobs)::register)
                .withCapability(new NodeInfo.Capability("fine_tuning", true, "LoRA fine-tuning jobs on '"
                        + base.id() + "' (/v1/fine_tuning/jobs) on inline text or Datanets, one at a time,"
                        + " checkpointed and resumable"))
                .withResource(jobs);
        if (attributions == null) {
            return out;
        }
        attributions.start(jobs::trainingRows);
        return out.withRoutes(new AttributionHandlers(attributions)::register)
                .withCapability(new NodeInfo.Capability("attribution", true, "gradient influence of every"
                        + " fine-tuned adapter's training rows on its answers (/v1/attribution)"))
                .withResource(attributions)
                .withMetrics(attributions::metrics);
    }
}
