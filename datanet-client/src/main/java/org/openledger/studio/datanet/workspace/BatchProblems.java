package org.openledger.studio.datanet.workspace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openledger.studio.datanet.ingest.LineProblem;

/** The skipped lines of a file as stored with its batch: a JSON array of {line, reason}. */
final class BatchProblems {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BatchProblems() {
    }

    static String json(List<LineProblem> problems) {
        try {
            return JSON.writeValueAsString(problems.stream().map(p -> Map.of("line", p.line(), "reason", p.reason())).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<LineProblem> parse(String file, String text) {
        try {
            List<LineProblem> out = new ArrayList<>();
            for (JsonNode node : JSON.readTree(text)) {
                out.add(new LineProblem(file, node.get("line").asLong(), node.get("reason").asText()));
            }
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("damaged batch record", e);
        }
    }
}
