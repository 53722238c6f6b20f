package org.openledger.studio.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openledger.studio.api.Wire;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.DeviceException;
import org.openledger.studio.gpu.device.DeviceScan;
import org.openledger.studio.gpu.generate.GeneratedToken;
import org.openledger.studio.gpu.generate.GenerationRequest;
import org.openledger.studio.gpu.generate.GenerationResult;
import org.openledger.studio.gpu.generate.Generator;
import org.openledger.studio.gpu.generate.InvalidRequestException;
import org.openledger.studio.gpu.generate.Prompts;
import org.openledger.studio.gpu.generate.TokenListener;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterWeights;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code studio generate}: one completion from a local model folder, without a node. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate a completion with a local model (and optionally a LoRA adapter), without a node.")
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", description = "Base model folder (Hugging Face layout); default: the bundled model.")
    Path model;

    @Option(names = "--adapter", description = "PEFT adapter folder (adapter_config.json + adapter_model.safetensors).")
    Path adapter;

    @ArgGroup(exclusive = true, multiplicity = "1")
    PromptInput prompt;

    static final class PromptInput {
        @Option(names = "--prompt", description = "The prompt as text.")
        String text;

        @Option(names = "--prompt-ids", split = ",", description = "The prompt as token ids, e.g. 1,2,3.")
        long[] ids;
    }

    @Option(names = "--max-tokens", defaultValue = "64", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temperature", defaultValue = "0",
            description = "0 for greedy decoding (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1", description = "Nucleus sampling mass (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--top-k", defaultValue = "0", description = "0 for no top-k cut (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--seed", description = "Random seed; the same seed gives the same text.")
    Long seed;

    @Option(names = "--stop", description = "Stop sequence (repeatable).")
    List<String> stop = new ArrayList<>();

    @Option(names = "--logprobs", defaultValue = "0", description = "Alternatives to report per token (0-20).")
    int logprobs;

    @Option(names = "--device", defaultValue = "auto", description = "cpu, gpu, gpu:N or auto (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--json", description = "Print one JSON object (text, tokens, logprobs, finish reason).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (BaseModel base = load()) {
            AdapterWeights weights = adapter == null ? null : base.upload(Adapter.load(adapter));
            try {
                long[] ids = prompt.ids != null ? prompt.ids : Prompts.completion(base, prompt.text);
                GenerationRequest request = GenerationRequest.builder(ids).maxTokens(maxTokens)
                        .temperature(temperature).topP(topP).topK(topK).seed(seed).stop(stop).logprobs(logprobs)
                        .adapter(weights).build();
                TokenListener listener = json ? TokenListener.NONE : e -> out.print(e.textDelta());
                GenerationResult result;
                try {
                    result = new Generator(base).generate(request, listener);
                } catch (InvalidRequestException e) {
                    throw new UserError("--" + optionFor(e.param()) + ": " + e.getMessage());
                }
                if (json) {
                    out.println(Wire.mapper().writeValueAsString(report(result)));
                } else {
                    out.println();
                }
            } finally {
                if (weights != null) {
                    weights.close();
                }
            }
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
        return 0;
    }

    private BaseModel load() throws IOException {
        try {
            Path folder = model != null ? model
                    : ModelServing.bundled(org.openledger.studio.store.AppDirs.forCurrentUser().nodeData().resolve("models"));
            return BaseModel.load(folder, DeviceScan.ofThisMachine().pick(device), 1, BaseModel.DEFAULT_CONTEXT_CAP);
        } catch (DeviceException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static String optionFor(String param) {
        return switch (param) {
            case "prompt" -> "prompt";
            case "max_tokens" -> "max-tokens";
            case "top_p" -> "top-p";
            case "top_k" -> "top-k";
            default -> param.replace('_', '-');
        };
    }

    private static Map<String, Object> report(GenerationResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", r.text());
        m.put("finish_reason", r.finishReason().openAiName());
        m.put("prompt_tokens", r.promptTokenCount());
        List<Map<String, Object>> tokens = new ArrayList<>();
        for (GeneratedToken t : r.tokens()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("id", t.id());
            tm.put("text", t.text());
            tm.put("logprob", t.logprob());
            if (!t.top().isEmpty()) {
                tm.put("top", t.top());
            }
            tokens.add(tm);
        }
        m.put("tokens", tokens);
        return m;
    }
}
