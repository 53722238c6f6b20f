package org.openledger.studio.app;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.openledger.studio.app.cli.wallet.NodeChain;
import org.openledger.studio.daemon.Node;
import org.openledger.studio.daemon.NodeConfig;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.gpu.BaseModel;
import org.openledger.studio.gpu.device.ComputeDevice;
import org.openledger.studio.gpu.model.TinyModels;
import org.openledger.studio.ui.nodes.LocalNode;
import org.openledger.studio.ui.nodes.NodeEndpoint;

/**
 * The studio's local node started in the test's JVM instead of as a child process: the same {@link Node}, routes and
 * HTTP API, with services the test chooses (a tiny model, a devnet, a registry).
 */
public final class InProcessNode implements LocalNode {

    /** Builds the node's services when it starts (so that failures show as a node that could not start). */
    @FunctionalInterface
    public interface Services {
        NodeServices create() throws Exception;
    }

    private final Path data;
    private final String token;
    private final Services services;
    private Node node;

    public InProcessNode(Path data, String token, Services services) {
        this.data = data;
        this.token = token;
        this.services = services;
    }

    /** Builds a node's services around the base model it serves. */
    @FunctionalInterface
    public interface ModelServices {
        NodeServices create(BaseModel base) throws Exception;
    }

    /**
     * A node, with its data in {@code dir/node}, that serves a tiny real chat model (written to {@code dir/tiny-chat},
     * seed 7) loaded on the CPU, with the services {@code services} builds around it.
     */
    public static InProcessNode withTinyChatModel(Path dir, String token, ModelServices services) throws IOException {
        Path model = dir.resolve("tiny-chat");
        TinyModels.chatModel(model, 7);
        return new InProcessNode(dir.resolve("node"), token, () -> services.create(
                BaseModel.load(model, ComputeDevice.cpu("cpu", 8L << 30, 4L << 30), 4, 128)));
    }

    /** A node with its own devnet (real anvil, the studio's contracts, a faucet) and no other service. */
    public static InProcessNode withDevnet(Path data, String token) {
        return new InProcessNode(data, token, () -> NodeChain.attach(NodeServices.none(), null, null, data));
    }

    @Override
    public NodeEndpoint start() throws Exception {
        node = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, data, token, "in-process",
                Duration.ofSeconds(5)), "test", services.create());
        return new NodeEndpoint(node.url(), token);
    }

    @Override
    public void stop() {
        if (node != null) {
            node.close();
        }
    }
}
