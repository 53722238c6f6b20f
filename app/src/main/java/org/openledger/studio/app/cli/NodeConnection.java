package org.openledger.studio.app.cli;

import java.nio.file.Path;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.store.AppDirs;
import picocli.CommandLine.Option;

/** Which node a command talks to: {@code --url} and {@code --token-file}. */
public final class NodeConnection {

    @Option(names = "--url", defaultValue = "http://127.0.0.1:" + DaemonCommand.DEFAULT_PORT,
            description = "The node's URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token-file", description = "File holding the node's token (default: the local "
            + "daemon's <data-dir>/token when it exists).")
    Path tokenFile;

    public NodeClient client() {
        String token = NodeTokens.read(tokenFile, AppDirs.forCurrentUser().nodeData().resolve("token"), true);
        return new NodeClient(NodeClient.defaultHttp(), NodeClient.parseBaseUrl(url), token);
    }

    public String url() {
        return url;
    }
}
