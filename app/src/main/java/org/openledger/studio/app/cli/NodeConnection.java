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

    @Option(names = "--tls-fingerprint", paramLabel = "SHA256", description = "For an https:// node: the SHA-256"
            + " of its certificate (printed by `studio daemon --tls`). Without it the first connection trusts the"
            + " certificate presented and keeps it in <config>/known-nodes; a different one later is refused.")
    String tlsFingerprint;

    public NodeClient client() {
        String token = NodeTokens.read(tokenFile, AppDirs.forCurrentUser().nodeData().resolve("token"), true);
        return KnownNodes.forCurrentUser().client(NodeClient.defaultHttp(), url, token, tlsFingerprint);
    }

    public String url() {
        return url;
    }
}
