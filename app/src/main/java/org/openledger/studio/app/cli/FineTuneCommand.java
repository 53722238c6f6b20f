package org.openledger.studio.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.openledger.studio.api.EventStream;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.finetune.FineTuneEvent;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.api.finetune.FineTuneCheckpoint;
import org.openledger.studio.api.finetune.FineTuneEstimate;
import org.openledger.studio.api.finetune.TrainedRow;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code studio finetune}: LoRA fine-tuning jobs on a node (the local daemon unless --url names another). */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune LoRA adapters on a node's base model (/v1/fine_tuning/jobs).",
        subcommands = {FineTuneCommand.Start.class, FineTuneCommand.Estimate.class, FineTuneCommand.ListJobs.class,
                FineTuneCommand.Events.class, FineTuneCommand.Cancel.class, FineTuneCommand.Resume.class,
                FineTuneCommand.Checkpoints.class, FineTuneCommand.Rows.class, FineTunePull.class,
                FineTunePush.class, FineTunePublish.class})
public final class FineTuneCommand implements Callable<Integer> {

    /** The largest training file sent inline (the node reads JSON bodies up to 16 MiB). */
    static final long MAX_DATA_BYTES = 12L << 20;

    @Override
    public Integer call() {
        throw new UserError("name what to do: start, estimate, list, events ID, cancel ID, resume ID, checkpoints ID,"
                + " rows ID, pull ID, push DIR or publish ID (studio finetune --help)");
    }

    /** The node and one of its jobs. */
    static final class JobRef {
        @Mixin
        NodeConnection node;

        @Parameters(paramLabel = "ID", description = "The job's id (ftjob-...).")
        String id;
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Queue a job training a LoRA adapter on the node's base model.")
    static final class Start implements Callable<Integer> {
        @Mixin
        NodeConnection node;

        @ArgGroup(exclusive = true, multiplicity = "1")
        DataOptions source;

        @Option(names = "--out", paramLabel = "DIR", description = "With --wait: pull the trained adapter (PEFT "
                + "format, checked by SHA-256) into this folder.")
        Path out;

        @Mixin
        TrainingOptions training;

        @Option(names = "--wait", description = "Follow the job's events until it ends; exit 1 unless it succeeded.")
        boolean await;

        @Override
        public Integer call() throws Exception {
            if (out != null && !await) {
                throw new UserError("--out needs --wait: the adapter exists once the job has succeeded");
            }
            NodeClient client = node.client();
            FineTuneJob job = client.createFineTuneJob(training.request(source));
            System.out.println(job.id() + "  " + job.status());
            if (!await) {
                return 0;
            }
            int status = follow(client, job.id());
            if (status == 0 && out != null) {
                System.out.println(FineTunePull.pull(client, job.id(), out, false));
            }
            return status;
        }
    }

    /** The training data: a local file sent inline, or Datanets on the node. */
    static final class DataOptions {
        @Option(names = "--data", paramLabel = "FILE", description = "Training data: a .jsonl of {\"prompt\","
                + "\"response\"}, {\"instruction\",\"input\",\"output\"} or {\"text\"} lines, or a plain .txt file"
                + " (sent inline, at most 12 MiB). Pairs learn only their responses.")
        Path data;

        @Option(names = "--datanet", paramLabel = "ID", description = "Train on the rows of this Datanet on the "
                + "node (repeat for several); its instruction rows learn only their responses.")
        java.util.List<String> datanets;
    }

    /** Hyper-parameters and LoRA settings; absent ones take the node's defaults. */
    static final class TrainingOptions {
        @Option(names = "--epochs", description = "Passes over the data (1-50; default 3).")
        Integer epochs;

        @Option(names = "--batch-size", description = "Windows per micro-batch (1-64; default 4).")
        Integer batchSize;

        @Option(names = "--grad-accum", description = "Micro-batches summed into each step: the effective batch is"
                + " batch size x this, in the memory of one micro-batch (1-64; default 1).")
        Integer gradAccum;

        @Option(names = "--lr", description = "Learning-rate multiplier, OpenAI's learning_rate_multiplier "
                + "(0-10; 1 = the node's base rate).")
        Double lr;

        @Option(names = "--validation-split", description = "Share of the documents held out to measure the "
                + "validation loss (0-0.5; default 0.1).")
        Double validationSplit;

        @Option(names = "--rank", description = "LoRA rank r (1-256; default 8).")
        Integer rank;

        @Option(names = "--alpha", description = "LoRA alpha (default 2 x rank).")
        Double alpha;

        @Option(names = "--dropout", description = "LoRA dropout on the adapter's input while training (0-0.5;"
                + " default 0).")
        Double dropout;

        @Option(names = "--target-modules", split = ",", description = "PEFT modules to adapt, e.g. q_proj,v_proj "
                + "(default).")
        java.util.List<String> targets;

        @Option(names = "--suffix", description = "Part of the adapter's id, e.g. my-style.")
        String suffix;

        @Option(names = "--seed", description = "Seed of the LoRA init, the validation split and the data order.")
        Long seed;

        FineTuneRequest request(DataOptions source) {
            String text = source.data != null ? readData(source.data) : null;
            return new FineTuneRequest(null, text, source.datanets,
                    new FineTuneRequest.Hyperparameters(epochs, batchSize, lr, validationSplit, null, null,
                            gradAccum),
                    new FineTuneRequest.Lora(rank, alpha, dropout, targets), suffix, seed);
        }
    }

    @Command(name = "estimate", mixinStandardHelpOptions = true,
            description = "What a job would do and cost on the node (steps, tokens, time, memory); queues nothing.")
    static final class Estimate implements Callable<Integer> {
        @Mixin
        NodeConnection node;

        @ArgGroup(exclusive = true, multiplicity = "1")
        DataOptions source;

        @Mixin
        TrainingOptions training;

        @Override
        public Integer call() {
            FineTuneEstimate e = node.client().estimateFineTune(training.request(source));
            System.out.printf(java.util.Locale.ROOT, "documents   %d (%d training, %d validation, %d longer than the"
                            + " context of %d tokens)%n", e.documents(), e.trainingRows(), e.validationRows(),
                    e.splitRows(), e.context());
            System.out.printf(java.util.Locale.ROOT, "tokens      %d training, %d validation%n", e.trainingTokens(),
                    e.validationTokens());
            System.out.printf(java.util.Locale.ROOT, "steps       %d%n", e.steps());
            System.out.printf(java.util.Locale.ROOT, "trainable   %d LoRA parameters%n", e.trainableParameters());
            System.out.printf(java.util.Locale.ROOT, "time        %s%n", e.seconds() == null ? "unknown"
                    : String.format(java.util.Locale.ROOT, "%.0f s at %.0f tokens/s (%s)", e.seconds(),
                    e.tokensPerSecond(), e.speedSource()));
            System.out.printf(java.util.Locale.ROOT, "memory      %.1f MiB on %s%n", e.memoryBytes() / 1048576.0,
                    e.device());
            for (String w : e.warnings()) {
                System.out.println("warning     " + w);
            }
            return 0;
        }
    }

    static String readData(Path data) {
        try {
            if (Files.size(data) > MAX_DATA_BYTES) {
                throw new UserError("--data " + data + " is larger than 12 MiB; the node takes training data inline");
            }
            return Files.readString(data, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError("--data " + data + " does not exist");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserError("--data " + data + " is not UTF-8 text");
        } catch (IOException e) {
            throw new UserError("--data " + data + " cannot be read: " + e.getMessage());
        }
    }

    /** Prints the job's events as the node streams them until the job ends; 0 when it succeeded. */
    static int follow(NodeClient client, String id) {
        try (EventStream<FineTuneEvent> events = client.followFineTuneEvents(id)) {
            for (FineTuneEvent e; (e = events.next()) != null; ) {
                print(e);
            }
        }
        FineTuneJob job = client.fineTuneJob(id);
        if (job.status().equals("succeeded")) {
            System.out.println(job.id() + "  succeeded  " + job.fineTunedModel());
            return 0;
        }
        System.err.println("studio finetune: job " + job.id() + " " + job.status()
                + (job.error() != null ? ": " + job.error().message()
                : job.finished() ? "" : " (the node stopped streaming before the job ended)"));
        return 1;
    }

    private static void print(FineTuneEvent e) {
        String rate = "";
        if (e.data() != null && e.data().tokensPerSecond() != null) {
            rate = String.format(java.util.Locale.ROOT, "  (%.0f tokens/s%s)", e.data().tokensPerSecond(),
                    e.data().etaSeconds() == null ? "" : String.format(java.util.Locale.ROOT, ", %.0f s left",
                            e.data().etaSeconds()));
        }
        System.out.println(Instant.ofEpochSecond(e.createdAt()) + "  " + e.level() + "  " + e.message() + rate);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The node's jobs, newest first.")
    static final class ListJobs implements Callable<Integer> {
        @Mixin
        NodeConnection node;

        @Override
        public Integer call() {
            for (FineTuneJob j : node.client().fineTuneJobs().data()) {
                System.out.printf("%s  %-9s  %s  %s%n", j.id(), j.status(), j.model(),
                        j.fineTunedModel() != null ? j.fineTunedModel()
                                : j.error() != null ? "(" + j.error().message() + ")" : "");
            }
            return 0;
        }
    }

    @Command(name = "events", mixinStandardHelpOptions = true, description = "A job's events: steps, loss, tokens/s.")
    static final class Events implements Callable<Integer> {
        @Mixin
        JobRef ref;

        @Option(names = "--follow", description = "Keep printing until the job ends.")
        boolean followIt;

        @Override
        public Integer call() throws Exception {
            NodeClient client = ref.node.client();
            if (followIt) {
                return follow(client, ref.id);
            }
            client.fineTuneEvents(ref.id).data().forEach(FineTuneCommand::print);
            return 0;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a queued or running job.")
    static final class Cancel implements Callable<Integer> {
        @Mixin
        JobRef ref;

        @Override
        public Integer call() {
            FineTuneJob job = ref.node.client().cancelFineTuneJob(ref.id);
            System.out.println(job.id() + "  " + (job.finished() ? job.status() : "cancelling"));
            return 0;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Queue a cancelled or failed job again; it goes on from its last checkpoint.")
    static final class Resume implements Callable<Integer> {
        @Mixin
        JobRef ref;

        @Option(names = "--wait", description = "Follow the job's events until it ends; exit 1 unless it succeeded.")
        boolean await;

        @Override
        public Integer call() throws Exception {
            NodeClient client = ref.node.client();
            FineTuneJob job = client.resumeFineTuneJob(ref.id);
            System.out.println(job.id() + "  " + job.status());
            return await ? follow(client, ref.id) : 0;
        }
    }

    @Command(name = "checkpoints", mixinStandardHelpOptions = true,
            description = "The checkpoints a job saved, newest first.")
    static final class Checkpoints implements Callable<Integer> {
        @Mixin
        JobRef ref;

        @Override
        public Integer call() {
            for (FineTuneCheckpoint c : ref.node.client().fineTuneCheckpoints(ref.id).data()) {
                System.out.printf(java.util.Locale.ROOT, "step %-6d %s  train loss %s  validation loss %s%s%n",
                        c.stepNumber(), Instant.ofEpochSecond(c.createdAt()), loss(c.metrics().trainLoss()),
                        loss(c.metrics().validLoss()), c.resumable() ? "  (resumable)" : "");
            }
            return 0;
        }

        private static String loss(Double d) {
            return d == null ? "-" : String.format(java.util.Locale.ROOT, "%.4f", d);
        }
    }

    @Command(name = "rows", mixinStandardHelpOptions = true,
            description = "The Datanet rows a job trained on and held out for validation.")
    static final class Rows implements Callable<Integer> {
        @Mixin
        JobRef ref;

        @Override
        public Integer call() {
            for (TrainedRow r : ref.node.client().fineTuneRows(ref.id).data()) {
                System.out.printf("%-10s  %s  %s#%d  %s  %s%n", r.split(), r.datanetId(), r.uploadId(), r.seq(),
                        r.hash(), r.contributor());
            }
            return 0;
        }
    }
}
