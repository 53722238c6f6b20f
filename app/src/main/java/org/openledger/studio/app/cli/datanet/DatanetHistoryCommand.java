package org.openledger.studio.app.cli.datanet;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openledger.studio.api.Wire;
import org.openledger.studio.datanet.contribution.ContributionUploads;
import org.openledger.studio.datanet.contribution.UploadState;
import org.openledger.studio.datanet.onchain.OnChainRecords;
import org.openledger.studio.datanet.onchain.OnChainStatus;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code studio datanet history --datanet NAME}: the contributions, their upload stage and their on-chain status. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "List a Datanet's contributions: rows, upload stage, Merkle root and on-chain status (not "
                + "submitted, pending tx, confirmed in block N, reverted with the reason, challenged), as the "
                + "workspace recorded it.")
public final class DatanetHistoryCommand implements Callable<Integer> {

    @Mixin
    WorkspaceOptions workspace;

    @Option(names = "--datanet", required = true, description = "The Datanet's name.")
    String datanet;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        return WorkspaceOptions.userErrors(() -> {
            try (Workspace ws = workspace.open()) {
                Datanet d = WorkspaceOptions.datanet(ws, datanet);
                OnChainRecords records = new OnChainRecords(ws, Clock.systemUTC());
                Map<Long, OnChainStatus> chain = records.statuses(d.id());
                List<Map<String, Object>> out = new ArrayList<>();
                for (UploadState u : new ContributionUploads(ws, Clock.systemUTC()).history(d.id())) {
                    OnChainStatus s = chain.getOrDefault(u.uploadId(), OnChainStatus.notSubmitted(u.uploadId()));
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", u.uploadId());
                    m.put("rows", u.rows());
                    m.put("stage", u.stage().name().toLowerCase());
                    m.put("merkle_root", u.merkleRoot());
                    m.put("chain_status", s.stage().name().toLowerCase());
                    m.put("chain", s.describe());
                    m.put("tx_hash", s.txHash());
                    m.put("block", s.block());
                    m.put("contribution_id", s.contributionId() == null ? null : s.contributionId().toString());
                    m.put("stake", s.stake() == null ? null : s.stake().toString());
                    out.add(m);
                }
                if (json) {
                    System.out.println(Wire.mapper().writeValueAsString(Map.of("contributions", out)));
                } else if (out.isEmpty()) {
                    System.out.println("No contributions yet; `studio datanet upload` makes one.");
                } else {
                    for (Map<String, Object> m : out) {
                        System.out.printf("%4d  %6d rows  %-9s %s  on chain: %s%n", m.get("id"), m.get("rows"),
                                m.get("stage"), m.get("merkle_root"), m.get("chain"));
                    }
                }
            }
            return 0;
        });
    }
}
