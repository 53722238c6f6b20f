package org.openledger.studio.app.cli.attribution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.AttributionRequest;
import org.openledger.studio.api.openai.ChatMessage;
import org.openledger.studio.app.cli.NodeConnection;
import org.openledger.studio.app.cli.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code studio attribute}: where a given answer of a fine-tuned adapter came from ({@code POST /v1/attribution}),
 * computed by the node now.
 */
@Command(name = "attribute", mixinStandardHelpOptions = true,
        description = "Attribute an answer of a fine-tuned adapter: the training rows that shaped it (gradient "
                + "influence), the spans found verbatim in the node's rows, and the shares per contributor and per "
                + "Datanet (POST /v1/attribution).")
public final class AttributeCommand implements Callable<Integer> {

    /** The most rows the node scores for one answer. */
    static final int MAX_TOP = 100;

    @Mixin
    NodeConnection node;

    @Option(names = "--model", required = true, paramLabel = "ADAPTER",
            description = "The adapter that gave the answer (its id on the node).")
    String model;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "The prompt the answer completes.")
    String prompt;

    @Option(names = "--messages", paramLabel = "FILE", description = "A chat instead of a prompt: a JSON array of "
            + "{\"role\", \"content\"} messages (OpenAI's chat messages), rendered through the model's chat template.")
    Path messages;

    @Option(names = "--completion", required = true, paramLabel = "TEXT", description = "The answer to attribute.")
    String completion;

    @Option(names = "--top", paramLabel = "K", defaultValue = "10",
            description = "How many influential rows to list (1-" + MAX_TOP + "; default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "Print the node's record as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((prompt == null) == (messages == null)) {
            throw new UserError("give exactly one of --prompt TEXT and --messages FILE");
        }
        if (top < 1 || top > MAX_TOP) {
            throw new UserError("--top must be in [1, " + MAX_TOP + "], not " + top);
        }
        List<ChatMessage> chat = messages == null ? null : readMessages(messages);
        AttributionRecord r = node.client().attribute(new AttributionRequest(model, prompt, chat, completion, top));
        print(spec.commandLine().getOut(), r, json);
        return 0;
    }

    /** The record as JSON or as {@link AttributionReport}'s tables. */
    static void print(PrintWriter out, AttributionRecord r, boolean json) throws JsonProcessingException {
        out.print(json ? Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n"
                : AttributionReport.of(r));
        out.flush();
    }

    /** A JSON array of {@code {"role", "content"}} objects, each with both as strings. */
    static List<ChatMessage> readMessages(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError("--messages " + file + " does not exist");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserError("--messages " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new UserError("--messages " + file + " cannot be read: " + e.getMessage());
        }
        JsonNode tree;
        try {
            tree = Wire.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new UserError("--messages " + file + " is not JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (tree == null || !tree.isArray() || tree.isEmpty()) {
            throw new UserError("--messages " + file + " must be a JSON array of {\"role\", \"content\"} messages");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < tree.size(); i++) {
            JsonNode m = tree.get(i);
            if (!m.isObject() || !m.path("role").isTextual() || !m.path("content").isTextual()) {
                throw new UserError("--messages " + file + ": message " + i + " must be an object with \"role\" and "
                        + "\"content\" strings");
            }
            out.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
        }
        return List.copyOf(out);
    }
}
