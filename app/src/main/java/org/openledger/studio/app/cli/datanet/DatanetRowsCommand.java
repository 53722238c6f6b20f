package org.openledger.studio.app.cli.datanet;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openledger.studio.api.Wire;
import org.openledger.studio.app.cli.UserError;
import org.openledger.studio.datanet.check.Finding;
import org.openledger.studio.datanet.check.RowHash;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.RowQuery;
import org.openledger.studio.datanet.workspace.RowStatus;
import org.openledger.studio.datanet.workspace.StoredRow;
import org.openledger.studio.datanet.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code studio datanet rows}: page through, search and curate a Datanet's rows. */
@Command(name = "rows", mixinStandardHelpOptions = true,
        description = "Show a Datanet's rows (full-text search, filters), or accept/reject rows by id.")
public final class DatanetRowsCommand implements Callable<Integer> {

    @Mixin
    WorkspaceOptions workspace;

    @Option(names = "--datanet", required = true, description = "The Datanet's name.")
    String datanet;

    @Option(names = "--search", description = "Full-text search: all words must occur (word* for a prefix).")
    String search;

    @Option(names = "--status", description = "Only rows in this state: pending, accepted or rejected.")
    String status;

    @Option(names = "--blocking", description = "Only rows with a secret or personal data.")
    boolean blocking;

    @Option(names = "--offset", defaultValue = "0")
    int offset;

    @Option(names = "--limit", defaultValue = "50", description = "Rows to show (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--accept", split = ",", paramLabel = "ID", description = "Accept these rows.")
    List<Long> accept = new ArrayList<>();

    @Option(names = "--reject", split = ",", paramLabel = "ID", description = "Reject these rows (left out of uploads).")
    List<Long> reject = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        RowQuery q = RowQuery.all().page(offset, limit).withSearch(search);
        if (status != null) {
            try {
                q = q.withStatus(RowStatus.valueOf(status.toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UserError("--status must be pending, accepted or rejected, not " + status);
            }
        }
        if (blocking) {
            q = q.blockingOnly();
        }
        RowQuery query = q;
        return WorkspaceOptions.userErrors(() -> {
            try (Workspace ws = workspace.open()) {
                Datanet d = WorkspaceOptions.datanet(ws, datanet);
                if (!accept.isEmpty() || !reject.isEmpty()) {
                    int changed = ws.rows().setStatus(accept, RowStatus.ACCEPTED) + ws.rows().setStatus(reject,
                            RowStatus.REJECTED);
                    System.out.println(changed + " rows changed");
                    return 0;
                }
                print(ws.rows().rows(d.id(), query));
            }
            return 0;
        });
    }

    private void print(List<StoredRow> rows) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        List<Map<String, Object>> list = new ArrayList<>();
        for (StoredRow r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("source", r.provenance().source());
            m.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
            m.put("blocking", r.blocking());
            m.put("hash", RowHash.hex(r.hash()));
            m.put("findings", r.findings().stream().map(f -> f.kind().jsonName()).toList());
            m.put("text", r.text());
            list.add(m);
        }
        if (json) {
            out.println(Wire.mapper().writeValueAsString(Map.of("rows", list)));
            return;
        }
        for (StoredRow r : rows) {
            String text = r.text().replace('\n', ' ');
            out.printf("%6d  %-9s %-24s %s%s%n", r.id(), r.status().name().toLowerCase(java.util.Locale.ROOT),
                    r.provenance().source(), text.length() > 80 ? text.substring(0, 80) + "…" : text,
                    r.findings().isEmpty() ? "" : "  [" + String.join(", ",
                            r.findings().stream().map(Finding::kind).map(k -> k.jsonName()).toList()) + "]");
        }
    }
}
