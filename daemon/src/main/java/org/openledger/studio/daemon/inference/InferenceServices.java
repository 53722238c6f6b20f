package org.openledger.studio.daemon.inference;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openledger.studio.api.NodeInfo;
import org.openledger.studio.daemon.NodeDescription;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.daemon.adapters.AdapterTransfers;
import org.openledger.studio.daemon.handlers.AdapterHandlers;
import org.openledger.studio.daemon.handlers.AdapterManagementHandlers;
import org.openledger.studio.daemon.handlers.InferenceHandlers;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.generate.BatchScheduler;
import org.openledger.studio.gpu.generate.Generator;
import org.openledger.studio.gpu.generate.Merging;
import org.openledger.studio.gpu.lora.LoraCostModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Puts a served model behind the node's OpenAI-compatible endpoints. */
public final class InferenceServices {

    private static final Logger log = LoggerFactory.getLogger(InferenceServices.class);
    /** A push of adapter files untouched this long is abandoned and its files removed. */
    static final Duration ABANDONED_PUSH = Duration.ofHours(24);

    private InferenceServices() {
    }

    /**
     * @param maxBatchRows rows generated together in one forward pass (requests from several clients share it)
     */
    public static NodeServices of(ServedModels models, int maxBatchRows) {
        return of(models, maxBatchRows, AnswerAttribution.NONE);
    }

    /** As above; each answer is handed to {@code attribution}, and its record's id goes into the response. */
    public static NodeServices of(ServedModels models, int maxBatchRows, AnswerAttribution attribution) {
        return of(models, maxBatchRows, attribution, LoraCostModel.cpuDefaults());
    }

    /** As above, choosing each step's LoRA path by {@code loraCosts}. */
    public static NodeServices of(ServedModels models, int maxBatchRows, AnswerAttribution attribution,
                                  LoraCostModel loraCosts) {
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "generation");
            t.setDaemon(true);
            return t;
        });
        BatchScheduler.Settings settings = BatchScheduler.Settings.of(models.base()).withMaxRows(maxBatchRows)
                .withCosts(loraCosts);
        // a merged copy of the base weights shares the device with the adapters' tier: it gets what both leave
        long mergeBytes = settings.merging().maxBytes() - models.adapters().limits().deviceBytes();
        BatchScheduler queue = new BatchScheduler(new Generator(models.base()), worker,
                settings.withMerging(Merging.upTo(Math.max(0, mergeBytes))));
        InferenceService inference = new InferenceService(models, queue, worker);
        AtomicInteger n = new AtomicInteger();
        ExecutorService streams = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "inference-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        InferenceHandlers handlers = new InferenceHandlers(inference, streams, attribution);
        ComputeDevice device = models.base().device();
        AdapterTransfers transfers = new AdapterTransfers(models.adapterFolder(), models.base().id(),
                models.base().config(), models::unload, AdapterTransfers.MAX_FILE_BYTES,
                models.adapters().limits().deviceBytes());
        ScheduledExecutorService expiry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "adapter-push-expiry");
            t.setDaemon(true);
            return t;
        });
        expiry.scheduleWithFixedDelay(() -> expireAbandonedPushes(transfers), 0, 1, TimeUnit.HOURS);
        return new NodeServices(router -> {
            handlers.register(router);
            new AdapterHandlers(transfers).register(router);
            new AdapterManagementHandlers(models.adapters()).register(router);
        },
                () -> List.of(new NodeInfo.DeviceInfo(device.id(), device.kind().name().toLowerCase(),
                        device.name(), device.totalBytes())),
                () -> capabilities(models.base()),
                List.of(inference, streams::shutdownNow, expiry::shutdownNow)).withMetrics(inference::metrics)
                .withMetrics(models.adapters()::metrics);
    }

    /** Pushes untouched for a day are abandoned: at start, then hourly. */
    private static void expireAbandonedPushes(AdapterTransfers transfers) {
        try {
            int removed = transfers.expireReceiving(Instant.now().minus(ABANDONED_PUSH));
            if (removed > 0) {
                log.info("Removed {} adapter push(es) untouched for {} h", removed, ABANDONED_PUSH.toHours());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Could not remove abandoned adapter pushes: {}", e.toString());
        }
    }

    private static List<NodeInfo.Capability> capabilities(BaseModel base) {
        List<NodeInfo.Capability> out = new ArrayList<>();
        out.add(new NodeInfo.Capability("inference", true, "base model '" + base.id() + "' with LoRA adapters, "
                + "OpenAI-compatible /v1/completions and /v1/chat/completions"));
        NodeDescription.nothingYet().stream().filter(c -> !c.name().equals("inference")).forEach(out::add);
        return out;
    }
}
