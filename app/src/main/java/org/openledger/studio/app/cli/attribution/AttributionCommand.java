package org.openledger.studio.app.cli.attribution;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.openledger.studio.api.Wire;
import org.openledger.studio.api.attribution.InfluenceIndexInfo;
import org.openledger.studio.api.attribution.InfluenceIndexList;
import org.openledger.studio.app.cli.NodeConnection;
import org.openledger.studio.app.cli.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code studio attribution ...}: stored attribution records and the node's influence indexes
 * ({@code studio attribute} attributes a new answer).
 */
@Command(name = "attribution", mixinStandardHelpOptions = true,
        description = "Proof of Attribution on a node: show a stored attribution record, list the influence "
                + "indexes of its adapters, build one. `studio attribute` attributes a new answer.",
        subcommands = {AttributionCommand.Show.class, AttributionRecords.ListRecords.class,
                AttributionRecords.Export.class, AttributionCommand.Indexes.class, AttributionCommand.Index.class})
public final class AttributionCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UserError("name what to do: show ID, list, export --out FILE, indexes or index --model ADAPTER"
                + " (studio attribution --help)");
    }

    /** {@code studio attribution show ID}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "A stored attribution record (GET /v1/attribution/{id}): pending, done or failed.")
    static final class Show implements Callable<Integer> {
        @Mixin
        NodeConnection node;

        @Parameters(paramLabel = "ID", description = "The record's id (the attribution_id of an answer).")
        String id;

        @Option(names = "--json", description = "Print the node's record as JSON.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (id.isBlank() || id.contains("/")) {
                throw new UserError("'" + id + "' is not an attribution record id");
            }
            AttributeCommand.print(spec.commandLine().getOut(), node.client().attribution(id), json);
            return 0;
        }
    }

    /** {@code studio attribution indexes}. */
    @Command(name = "indexes", mixinStandardHelpOptions = true,
            description = "The node's influence indexes, one per fine-tuned adapter (GET /v1/attribution/indexes).")
    static final class Indexes implements Callable<Integer> {
        @Mixin
        NodeConnection node;

        @Option(names = "--json", description = "Print the node's answer as JSON.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            InfluenceIndexList list = node.client().influenceIndexes();
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(list) + "\n"
                    : AttributionReport.indexes(list.data()));
            out.flush();
            return 0;
        }
    }

    /** {@code studio attribution index --model ADAPTER}. */
    @Command(name = "index", mixinStandardHelpOptions = true,
            description = "Build (or rebuild) the influence index of an adapter the node trained "
                    + "(POST /v1/attribution/indexes); the previous index is served until the new one is ready.")
    static final class Index implements Callable<Integer> {
        @Mixin
        NodeConnection node;

        @Option(names = "--model", required = true, paramLabel = "ADAPTER", description = "The adapter's id.")
        String adapter;

        @Option(names = "--json", description = "Print the node's answer as JSON.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            InfluenceIndexInfo info = node.client().buildInfluenceIndex(adapter);
            PrintWriter out = spec.commandLine().getOut();
            out.println(json ? Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(info)
                    : AttributionReport.index(info));
            out.flush();
            return 0;
        }
    }
}
