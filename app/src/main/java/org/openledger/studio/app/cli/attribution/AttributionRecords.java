package org.openledger.studio.app.cli.attribution;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.attribution.AttributionCsv;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.app.cli.NodeConnection;
import org.openledger.studio.app.cli.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code studio attribution list} and {@code studio attribution export}: the node's recent attribution records. */
final class AttributionRecords {

    private AttributionRecords() {
    }

    /** The filters both commands take. */
    static final class Filters {
        @Option(names = "--model", description = "Only records of this model.")
        String model;

        @Option(names = "--contributor", description = "Only records crediting this contributor's address.")
        String contributor;

        @Option(names = "--datanet", description = "Only records crediting this Datanet.")
        String datanet;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many, newest first (1-500,"
                + " default: ${DEFAULT-VALUE}).")
        int limit;

        List<AttributionRecord> fetch(NodeConnection node) {
            if (limit < 1 || limit > 500) {
                throw new UserError("--limit must be in [1, 500], got " + limit);
            }
            return node.client().attributions(model, contributor, datanet, limit).data();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Recent attribution records on the node, newest first (GET /v1/attribution).")
    static final class ListRecords implements Callable<Integer> {
        @Mixin
        NodeConnection node;

        @CommandLine.ArgGroup(exclusive = false)
        Filters filters = new Filters();

        @Option(names = "--json", description = "Print the node's records as JSON.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<AttributionRecord> records = filters.fetch(node);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(records));
            } else if (records.isEmpty()) {
                out.println("No attribution records.");
            } else {
                for (AttributionRecord r : records) {
                    String top = r.influence() == null || r.influence().isEmpty() ? "-" : r.influence().get(0).source();
                    String fee = r.charge() == null ? "not charged" : r.charge().feeWei() + " wei";
                    out.println(String.format(Locale.ROOT, "%s  %-7s  %s  top %s  %s  %s", r.id(), r.state(),
                            r.model(), top, fee, AttributionReport.cut(r.completion() == null ? "" : r.completion(),
                                    40)));
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write recent attribution records as CSV: a line per influential row and per credit.")
    static final class Export implements Callable<Integer> {
        @Mixin
        NodeConnection node;

        @CommandLine.ArgGroup(exclusive = false)
        Filters filters = new Filters();

        @Option(names = "--out", required = true, description = "The CSV file to write (replaced if it exists).")
        Path file;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (Files.isDirectory(file)) {
                throw new UserError("--out " + file + " is a folder");
            }
            List<AttributionRecord> records = filters.fetch(node);
            Path tmp = file.resolveSibling(file.getFileName() + ".partial");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                AttributionCsv.write(records, w);
            } catch (java.io.IOException e) {
                Files.deleteIfExists(tmp);
                throw new UserError("cannot write " + file + ": " + e.getMessage());
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            spec.commandLine().getOut().println("Wrote " + records.size() + " records to " + file);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
