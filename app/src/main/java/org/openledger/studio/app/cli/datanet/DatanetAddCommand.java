package org.openledger.studio.app.cli.datanet;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openledger.studio.datanet.ingest.Ingest;
import org.openledger.studio.datanet.ingest.IngestSummary;
import org.openledger.studio.datanet.ingest.LineProblem;
import org.openledger.studio.datanet.ingest.ProgressListener;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.ImportResult;
import org.openledger.studio.datanet.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code studio datanet add --datanet NAME FILES}. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = "Read files (" + Ingest.SUPPORTED + ") into rows of a Datanet, checked and kept in the workspace."
                + "%nAdding the same file again adds nothing; an interrupted add is completed by the next one.")
public final class DatanetAddCommand implements Callable<Integer> {

    @Mixin
    WorkspaceOptions workspace;

    @Option(names = "--datanet", required = true, description = "The Datanet's name.")
    String datanet;

    @Option(names = "--contributor", defaultValue = "local",
            description = "Who contributes the rows (an address or a name; default: ${DEFAULT-VALUE}).")
    String contributor;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to read.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        return WorkspaceOptions.userErrors(() -> {
            try (Workspace ws = workspace.open()) {
                Datanet d = WorkspaceOptions.datanet(ws, datanet);
                ImportResult r = ws.add(d.id(), files, contributor, new Ingest(), ProgressListener.NONE);
                report(r);
                return failed(r);
            }
        });
    }

    static void report(ImportResult r) {
        for (IngestSummary f : r.files()) {
            System.out.println(f.file() + ": " + f.rows() + " rows" + (f.problems().isEmpty() ? ""
                    : ", " + f.problems().size() + " lines skipped"));
            for (LineProblem p : f.problems()) {
                System.out.println("  skipped " + p.file() + ":" + p.line() + ": " + p.reason());
            }
        }
        System.out.println("Batch " + r.batchId() + ": " + r.newRows() + " new rows");
    }

    /** Files that could not be read: one stderr line each, and exit code 1 (the readable ones were added). */
    static int failed(ImportResult r) {
        for (Map.Entry<String, String> e : r.failures().entrySet()) {
            System.err.println("studio datanet: " + Path.of(e.getKey()).getFileName() + ": " + e.getValue());
        }
        return r.failures().isEmpty() ? 0 : 1;
    }
}
