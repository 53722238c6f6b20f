package org.openledger.studio.app.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.app.StudioDaemon;
import org.openledger.studio.app.StudioProcess;

/** {@code studio finetune} against a real {@code studio daemon} process serving a tiny real model. */
class FineTuneCommandLineTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void startWaitListEventsAndBadInput() throws Exception {
        try (StudioDaemon daemon = StudioDaemon.in(dir).tinyChatModel().start(60)) {
            String url = daemon.url();
            Path token = daemon.tokenFile();
            Path data = Files.writeString(dir.resolve("data.jsonl"),
                    "{\"prompt\":\"Where is the keeper? \",\"response\":\"By the lighthouse, counting waves.\"}\n"
                            .repeat(20));

            StudioProcess.Result started = StudioProcess.run(dir, "finetune", "start", "--url", url, "--token-file",
                    token.toString(), "--data", data.toString(), "--epochs", "1", "--rank", "4", "--batch-size", "2",
                    "--suffix", "cli", "--seed", "3", "--wait", "--out", dir.resolve("pulled").toString());
            assertEquals(0, started.code(), started.out() + started.err());
            List<String> lines = started.out().lines().toList();
            String last = lines.get(lines.size() - 2);
            assertTrue(lines.get(lines.size() - 1).contains("-> " + dir.resolve("pulled")), started.out());
            assertTrue(Files.isRegularFile(dir.resolve("pulled").resolve("adapter_model.safetensors")),
                    "--out received the PEFT adapter");
            assertTrue(Files.isRegularFile(dir.resolve("pulled").resolve("adapter_config.json")));
            assertTrue(last.contains("succeeded") && last.contains("-ft-cli-"), started.out());
            String jobId = last.split("\\s+")[0];
            String adapter = last.split("\\s+")[2];
            assertTrue(started.out().contains("Step "), "the steps were followed: " + started.out());

            NodeClient client = new NodeClient(NodeClient.defaultHttp(), URI.create(url), TOKEN);
            assertTrue(client.models().data().stream().anyMatch(m -> m.id().equals(adapter)));

            StudioProcess.Result list = StudioProcess.run(dir, "finetune", "list", "--url", url, "--token-file",
                    token.toString());
            assertEquals(0, list.code(), list.err());
            assertTrue(list.out().contains(jobId) && list.out().contains(adapter), list.out());

            StudioProcess.Result events = StudioProcess.run(dir, "finetune", "events", jobId, "--url", url,
                    "--token-file", token.toString());
            assertEquals(0, events.code(), events.err());
            assertTrue(events.out().contains("training loss=") && events.out().contains("tokens/s"), events.out());

            StudioProcess.Result estimate = StudioProcess.run(dir, "finetune", "estimate", "--url", url,
                    "--token-file", token.toString(), "--data", data.toString(), "--epochs", "2", "--rank", "4");
            assertEquals(0, estimate.code(), estimate.err());
            assertTrue(estimate.out().contains("documents   20 (18 training, 2 validation"), estimate.out());
            assertTrue(estimate.out().contains("memory      "), estimate.out());

            StudioProcess.Result checkpoints = StudioProcess.run(dir, "finetune", "checkpoints", jobId, "--url", url,
                    "--token-file", token.toString());
            assertEquals(0, checkpoints.code(), checkpoints.err());
            assertTrue(checkpoints.out().startsWith("step "), checkpoints.out());

            StudioProcess.Result resume = StudioProcess.run(dir, "finetune", "resume", jobId, "--url", url,
                    "--token-file", token.toString());
            assertEquals(1, resume.code());
            assertEquals(1, resume.errLines().size(), resume.err());
            assertTrue(resume.err().contains("only a cancelled or failed job can be resumed"), resume.err());

            StudioProcess.Result both = StudioProcess.run(dir, "finetune", "start", "--url", url, "--token-file",
                    token.toString(), "--data", data.toString(), "--datanet", "7");
            assertEquals(2, both.code(), "picocli refuses --data with --datanet: " + both.err());

            StudioProcess.Result noDatanet = StudioProcess.run(dir, "finetune", "start", "--url", url,
                    "--token-file", token.toString(), "--datanet", "999");
            assertEquals(1, noDatanet.code());
            assertEquals(1, noDatanet.errLines().size(), noDatanet.err());
            assertTrue(noDatanet.err().contains("Datanet '999' has no rows on this node"), noDatanet.err());

            StudioProcess.Result outWithoutWait = StudioProcess.run(dir, "finetune", "start", "--url", url,
                    "--token-file", token.toString(), "--data", data.toString(), "--out", dir.resolve("x").toString());
            assertEquals(1, outWithoutWait.code());
            assertTrue(outWithoutWait.err().contains("--out needs --wait"), outWithoutWait.err());

            StudioProcess.Result bad = StudioProcess.run(dir, "finetune", "start", "--url", url, "--token-file",
                    token.toString(), "--data", data.toString(), "--rank", "0");
            assertEquals(1, bad.code());
            assertEquals(1, bad.errLines().size(), bad.err());
            assertTrue(bad.err().contains("lora.r must be in [1, 256]"), bad.err());

            StudioProcess.Result missing = StudioProcess.run(dir, "finetune", "start", "--url", url, "--token-file",
                    token.toString(), "--data", dir.resolve("nope.jsonl").toString());
            assertEquals(1, missing.code());
            assertTrue(missing.err().contains("does not exist"), missing.err());

            StudioProcess.Result unknown = StudioProcess.run(dir, "finetune", "cancel", "ftjob-nope", "--url", url,
                    "--token-file", token.toString());
            assertEquals(1, unknown.code());
            assertTrue(unknown.err().contains("404"), unknown.err());
        }
    }
}
