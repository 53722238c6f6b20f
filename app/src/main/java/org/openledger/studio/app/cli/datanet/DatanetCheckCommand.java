package org.openledger.studio.app.cli.datanet;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.openledger.studio.app.cli.UserError;
import org.openledger.studio.datanet.check.CheckReport;
import org.openledger.studio.datanet.check.CheckSummary;
import org.openledger.studio.datanet.check.NearDuplicateSettings;
import org.openledger.studio.datanet.check.QualitySettings;
import org.openledger.studio.datanet.check.UploadCheck;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.ProgressListener;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.ImportResult;
import org.openledger.studio.datanet.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code studio datanet check FILES}: the redundancy, secret and quality report. Without {@code --datanet} it is a
 * dry run in memory (nothing is stored); with it the files are added to the Datanet and checked against its rows
 * too, and with {@code --node} also against the rows the node holds.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Report exact and near duplicates, secrets and personal data, and quality problems of FILES."
                + "%nWithout --datanet nothing is stored; with it the files are added and checked against the Datanet.")
public final class DatanetCheckCommand implements Callable<Integer> {

    @Mixin
    NodeOptions nodeOptions;

    @Option(names = "--datanet", description = "Add the files to this Datanet and check them against its rows.")
    String datanet;

    @Option(names = "--node-check", description = "With --datanet: also ask the node (--node) about its rows.")
    boolean askNode;

    @Option(names = "--threshold", defaultValue = "0.8",
            description = "Jaccard similarity from which rows are near-duplicates (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--contributor", defaultValue = "local", description = "Who contributes the rows.")
    String contributor;

    @Option(names = "--json", description = "Print exactly one JSON object (rows, duplicate_groups, findings, "
            + "skipped_lines, summary).")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to check.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new UserError("--threshold must be above 0 and at most 1, not " + threshold);
        }
        if (askNode && datanet == null) {
            throw new UserError("--node-check needs --datanet (the node is asked about a Datanet's rows)");
        }
        return WorkspaceOptions.userErrors(() -> {
            CheckReport report;
            int code = 0;
            if (datanet == null) {
                report = new UploadCheck(NearDuplicateSettings.DEFAULT.withThreshold(threshold), QualitySettings.DEFAULT)
                        .checkFiles(files, contributor, new Ingest());
            } else {
                try (Workspace ws = nodeOptions.workspace.open()) {
                    Datanet d = WorkspaceOptions.datanet(ws, datanet);
                    ImportResult added = ws.add(d.id(), files, contributor, new Ingest(), ProgressListener.NONE);
                    code = DatanetAddCommand.failed(added);
                    report = askNode
                            ? ws.check(added.batchId(), threshold, nodeOptions.registry().duplicateIndex(java.math.BigInteger.valueOf(d.id())))
                            : ws.check(added.batchId(), threshold);
                }
            }
            print(report);
            return code;
        });
    }

    private void print(CheckReport report) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (json) {
            out.println(report.toJson());
            return;
        }
        CheckSummary s = report.summary();
        out.printf("%d rows: %d exact and %d near duplicate groups (threshold %.2f), %d redundant rows, "
                        + "%d rows blocked by secrets or personal data, %d quality warnings, %d lines skipped%n",
                s.rows(), s.exactGroups(), s.nearGroups(), s.threshold(), s.redundantRows(), s.blockedRows(),
                s.qualityWarnings(), report.skippedLines().size());
        report.findings().forEach(f -> out.println("  row " + f.row() + ": " + f.kind() + " " + f.detail()));
        report.skippedLines().forEach(p -> out.println("  skipped " + p.file() + ":" + p.line() + ": " + p.reason()));
    }
}
