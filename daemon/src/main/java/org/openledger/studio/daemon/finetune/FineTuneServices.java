package org.openledger.studio.daemon.finetune;

import java.nio.file.Path;
import org.openledger.studio.api.NodeInfo;
import org.openledger.studio.daemon.NodeServices;
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
        FineTuneJobs jobs = FineTuneJobs.open(base, adapterFolder, dataDir, registry);
        return services.withRoutes(new FineTuneHandlers(jobs)::register)
                .withCapability(new NodeInfo.Capability("fine_tuning", true, "LoRA fine-tuning jobs on '"
                        + base.id() + "' (/v1/fine_tuning/jobs) on inline text or Datanets, one at a time,"
                        + " checkpointed and resumable"))
                .withResource(jobs);
    }
}
