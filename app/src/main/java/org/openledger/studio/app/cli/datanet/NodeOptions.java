package org.openledger.studio.app.cli.datanet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.registry.HttpRegistryClient;
import org.openledger.studio.app.cli.DaemonCommand;
import org.openledger.studio.app.cli.UserError;
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
        AppDirs dirs = workspace.dirs();
        Path file = tokenFile != null ? tokenFile : dirs.nodeData().resolve("token");
        String token;
        try {
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new UserError("The token file " + file + " does not exist; give the node's token with --token-file");
        } catch (IOException e) {
            throw new UserError("Cannot read the token file " + file + ": " + e.getMessage());
        }
        return new HttpRegistryClient(new NodeClient(NodeClient.defaultHttp(), NodeClient.parseBaseUrl(node), token));
    }
}
