package org.openledger.studio.api.finetune;

import java.math.BigInteger;
import java.util.List;
import org.openledger.studio.api.Events;
import org.openledger.studio.api.openai.ModelList;
import org.openledger.studio.api.registry.UploadStatus;

/**
 * What the Fine-tune section asks a node: its base models, the Datanets it holds rows of, jobs (estimate, start,
 * follow, cancel, resume, their checkpoints and rows), and a finished job's adapter files.
 */
public interface FineTuneApi {

    ModelList models();

    /** The finished contributions the node holds for the Datanet with this id. */
    List<UploadStatus> datanetContributions(BigInteger datanetId);

    FineTuneEstimate estimateFineTune(FineTuneRequest request);

    FineTuneJob createFineTuneJob(FineTuneRequest request);

    FineTuneLists.Jobs fineTuneJobs();

    FineTuneJob fineTuneJob(String id);

    /** A job's events: those so far, then each new one until the job ends; close to stop following early. */
    Events<FineTuneEvent> followFineTuneEvents(String id);

    FineTuneJob cancelFineTuneJob(String id);

    FineTuneJob resumeFineTuneJob(String id);

    FineTuneLists.Checkpoints fineTuneCheckpoints(String id);

    FineTuneLists.Rows fineTuneRows(String id);

    AdapterFiles adapterFiles(String adapterId);
}
