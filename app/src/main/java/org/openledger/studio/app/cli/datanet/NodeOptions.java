package org.openledger.studio.app.cli.datanet;

import java.nio.file.Path;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.datanet.node.HttpRegistryClient;
import org.openledger.studio.app.cli.DaemonCommand;
import org.openledger.studio.app.cli.NodeTokens;
import org.openledger.studio.store.AppDirs;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which node holds the Datanet registry, and its token. */
public final class NodeOptions {

    @Mixin
    WorkspaceOptions workspace;

    @Option(names = "--node", defaultValue = "http://127.0.0.1:" + DaemonCommand.DEFAULT_PORT,
            description = "The node's URL (default: ${DEFAULT-VALUE}, a `studio daemon` on this machine).")
    String node;

    @Option(names = "--token-file", description = "File holding the node's token (default: the local node's, "
            + "<data>/node/token).")
    Path tokenFile;

    HttpRegistryClient registry() {
        return new HttpRegistryClient(client());
    }

    NodeClient client() {
        AppDirs dirs = workspace.dirs();
        String token = NodeTokens.read(tokenFile, dirs.nodeData().resolve("token"), false);
        return new org.openledger.studio.app.cli.KnownNodes(dirs.config().resolve("known-nodes"))
                .client(NodeClient.defaultHttp(), node, token, null);
    }
}
