package org.openledger.studio.app.cli.datanet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openledger.studio.api.Wire;
import org.openledger.studio.datanet.contribution.ContributionUploads;
import org.openledger.studio.datanet.onchain.OnChainDatanet;
import org.openledger.studio.datanet.onchain.OnChainRecords;
import org.openledger.studio.datanet.onchain.OnChainStatus;
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
                OnChainRecords records = new OnChainRecords(ws, java.time.Clock.systemUTC());
                ContributionUploads uploads = new ContributionUploads(ws, java.time.Clock.systemUTC());
                for (Datanet d : ws.datanets().list()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", d.id());
                    m.put("name", d.name());
                    m.put("summary", d.summary());
                    m.put("licence", d.licence());
                    m.put("tags", d.tags());
                    m.put("rows", ws.rows().count(d.id(), null));
                    m.put("rejected", ws.rows().count(d.id(), RowStatus.REJECTED));
                    List<Map<String, Object>> chains = new ArrayList<>();
                    for (OnChainDatanet p : records.published(d.id())) {
                        chains.add(Map.of("chain_id", p.chain().chainId(), "registry", p.chain().registry(),
                                "datanet_id", p.onChainId().toString(), "metadata_hash", p.metadataHash()));
                    }
                    m.put("on_chain", chains);
                    long submitted = records.statuses(d.id()).values().stream().filter(OnChainStatus::submitted)
                            .count();
                    m.put("contributions", uploads.history(d.id()).size());
                    m.put("contributions_on_chain", submitted);
                    out.add(m);
                }
                if (json) {
                    System.out.println(Wire.mapper().writeValueAsString(Map.of("datanets", out)));
                } else if (out.isEmpty()) {
                    System.out.println("No Datanets yet; `studio datanet create NAME` makes one.");
                } else {
                    for (Map<String, Object> m : out) {
                        @SuppressWarnings("unchecked")
                        List<Map<String, Object>> chains = (List<Map<String, Object>>) m.get("on_chain");
                        System.out.printf("%4d  %-30s %8d rows  %-12s %d contributions, %d on chain  %s%n", m.get("id"),
                                m.get("name"), m.get("rows"), m.get("licence"), m.get("contributions"),
                                m.get("contributions_on_chain"), chains.isEmpty() ? "not published" : String.join(", ",
                                        chains.stream().map(c -> "Datanet " + c.get("datanet_id") + " on chain "
                                                + c.get("chain_id")).toList()));
                    }
                }
            }
            return 0;
        });
    }
}
