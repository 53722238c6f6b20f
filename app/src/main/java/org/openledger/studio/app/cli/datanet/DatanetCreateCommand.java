package org.openledger.studio.app.cli.datanet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.NewDatanet;
import org.openledger.studio.datanet.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code studio datanet create NAME}. */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a Datanet in the local workspace.")
public final class DatanetCreateCommand implements Callable<Integer> {

    @Mixin
    WorkspaceOptions workspace;

    @Parameters(index = "0", description = "The Datanet's name (unique in the workspace).")
    String name;

    @Option(names = "--summary", description = "One line saying what the data is.")
    String summary = "";

    @Option(names = "--description", description = "A longer description (Markdown).")
    String description = "";

    @Option(names = "--tag", description = "A tag (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--licence", defaultValue = "CC-BY-4.0", description = "The data's licence (default: ${DEFAULT-VALUE}).")
    String licence;

    @Option(names = "--owner", defaultValue = "", description = "The owner's address or name.")
    String owner;

    @Override
    public Integer call() throws Exception {
        return WorkspaceOptions.userErrors(() -> {
            try (Workspace ws = workspace.open()) {
                Datanet d = ws.datanets().create(new NewDatanet(name, summary, description, tags, licence, owner));
                System.out.println("Created Datanet " + d.id() + " \"" + d.name() + "\" (" + d.licence() + ")");
            }
            return 0;
        });
    }
}
