package org.openledger.studio.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeInfo;
import org.openledger.studio.api.Wire;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code studio node}: ask a node, local or remote, what it is. */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = "Ask a node what it is and has (GET /v1/node).")
public final class NodeCommand implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "http://127.0.0.1:" + DaemonCommand.DEFAULT_PORT,
            description = "The node's URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--token-file", description = "File holding the node's token.")
    Path tokenFile;

    @Option(names = "--tls-fingerprint", paramLabel = "SHA256", description = "For an https:// node: the SHA-256"
            + " of its certificate; without it the first connection trusts and keeps the one presented.")
    String tlsFingerprint;

    @Option(names = "--json", description = "Print the node's answer as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String token = NodeTokens.read(tokenFile, null, true);
        NodeClient client = KnownNodes.forCurrentUser().client(NodeClient.defaultHttp(), url, token, tlsFingerprint);
        NodeInfo info = client.node();
        if (json) {
            System.out.println(Wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(info));
        } else {
            System.out.printf("%s  %s  v%s (API %s)%n", info.nodeId(), info.name(), info.version(), info.apiVersion());
            System.out.printf("host     %s %s, Java %s, %d cores%n", info.host().os(), info.host().arch(),
                    info.host().javaVersion(), info.host().cpuCores());
            info.devices().forEach(d -> System.out.printf("device   %s %s %s%n", d.id(), d.kind(), d.name()));
            info.capabilities().forEach(c -> System.out.printf("offers   %-18s %s%n", c.name(),
                    c.available() ? "yes" : "no (" + c.note() + ")"));
        }
        return 0;
    }
}
