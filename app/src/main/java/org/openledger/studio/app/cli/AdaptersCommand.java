package org.openledger.studio.app.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.openledger.studio.api.adapters.AdapterInfo;
import org.openledger.studio.api.adapters.AdapterList;
import org.openledger.studio.api.adapters.AdapterRegistration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code studio adapters list|add|remove}: a node's adapters at run time. */
@Command(name = "adapters", mixinStandardHelpOptions = true,
        description = "List, add and remove a node's LoRA adapters without a restart.",
        subcommands = {AdaptersCommand.ListAdapters.class, AdaptersCommand.Add.class, AdaptersCommand.Remove.class})
final class AdaptersCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UserError("name what to do: list, add PATH, remove ID");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Adapters with tier, requests, tokens.")
    static final class ListAdapters implements Callable<Integer> {
        @Mixin
        NodeConnection node;

        @Option(names = "--tier", description = "Only adapters on this tier: device, host or disk.")
        String tier;

        @Override
        public Integer call() {
            AdapterList list = node.client().adapters(tier);
            for (AdapterList.Tier t : list.tiers()) {
                System.out.printf(Locale.ROOT, "%-6s %5d adapters %,15d bytes%s%n", t.tier(), t.adapters(), t.bytes(),
                        t.boundBytes() == null ? "" : String.format(Locale.ROOT, " of %,d", t.boundBytes()));
            }
            System.out.printf(Locale.ROOT, "%-32s %-6s %4s %8s %10s %9s %s%n", "ID", "TIER", "RANK", "REQUESTS",
                    "TOKENS", "LOAD MS", "BROKEN");
            for (AdapterInfo a : list.data()) {
                System.out.printf(Locale.ROOT, "%-32s %-6s %4s %8d %10d %9s %s%n", a.id(), a.tier(),
                        a.rank() == null ? "-" : a.rank(), a.requests(), a.tokens(),
                        a.meanLoadMs() == null ? "-" : String.format(Locale.ROOT, "%.1f", a.meanLoadMs()),
                        a.brokenReason() == null ? "" : a.brokenReason());
            }
            return 0;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Serve a PEFT adapter folder that is on the node's machine (copied into its adapter folder).")
    static final class Add implements Callable<Integer> {
        @Mixin
        NodeConnection node;

        @Parameters(index = "0", description = "The adapter folder, as a path on the node's machine.")
        Path path;

        @Option(names = "--id", description = "Serve it under this id (default: the folder's name).")
        String id;

        @Option(names = "--move", description = "Move the folder instead of copying it.")
        boolean move;

        @Option(names = "--replace", description = "Replace an adapter of the same id.")
        boolean replace;

        @Override
        public Integer call() {
            AdapterInfo a = node.client().registerAdapter(new AdapterRegistration(path.toAbsolutePath().toString(), id,
                    move, replace));
            System.out.printf(Locale.ROOT, "added %s (rank %s, %,d bytes on the device, sha256 %s)%n", a.id(),
                    a.rank(), a.deviceBytes(), a.sha256());
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove an adapter from every tier and the node's disk (refused while a request uses it).")
    static final class Remove implements Callable<Integer> {
        @Mixin
        NodeConnection node;

        @Parameters(index = "0", description = "The adapter's id.")
        String id;

        @Override
        public Integer call() {
            node.client().deleteAdapter(id);
            System.out.println("removed " + id);
            return 0;
        }
    }
}
