package org.openledger.studio.app.cli.datanet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openledger.studio.api.Wire;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.RowStatus;
import org.openledger.studio.datanet.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code studio datanet list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the Datanets of the local workspace.")
public final class DatanetListCommand implements Callable<Integer> {

    @Mixin
    WorkspaceOptions workspace;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return WorkspaceOptions.userErrors(() -> {
            try (Workspace ws = workspace.open()) {
                List<Map<String, Object>> out = new ArrayList<>();
                for (Datanet d : ws.datanets().list()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", d.id());
                    m.put("name", d.name());
                    m.put("summary", d.summary());
                    m.put("licence", d.licence());
                    m.put("tags", d.tags());
                    m.put("rows", ws.rows().count(d.id(), null));
                    m.put("rejected", ws.rows().count(d.id(), RowStatus.REJECTED));
                    out.add(m);
                }
                if (json) {
                    System.out.println(Wire.mapper().writeValueAsString(Map.of("datanets", out)));
                } else if (out.isEmpty()) {
                    System.out.println("No Datanets yet; `studio datanet create NAME` makes one.");
                } else {
                    for (Map<String, Object> m : out) {
                        System.out.printf("%4d  %-30s %8d rows  %s%n", m.get("id"), m.get("name"), m.get("rows"),
                                m.get("licence"));
                    }
                }
            }
            return 0;
        });
    }
}
