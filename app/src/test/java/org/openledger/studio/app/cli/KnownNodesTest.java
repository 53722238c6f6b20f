package org.openledger.studio.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.daemon.Node;
import org.openledger.studio.daemon.NodeConfig;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.daemon.tls.NodeCertificate;

/** The CLI trusts an https node's certificate on first use, keeps it, and refuses a different one. */
class KnownNodesTest {

    private static final String TOKEN = "known-nodes-test-token-0123456789";

    @TempDir
    Path dir;

    private Node node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void firstUseKeepsTheCertificateAndAChangedOneIsRefused() throws Exception {
        NodeCertificate cert = NodeCertificate.selfSigned(dir.resolve("tls"), "known");
        node = Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir.resolve("data"), TOKEN, "known",
                Duration.ofSeconds(2)).withTls(cert), "1", NodeServices.none());
        Path file = dir.resolve("config").resolve("known-nodes");
        KnownNodes known = new KnownNodes(file);
        String url = node.url().toString();

        assertEquals("1", known.client(NodeClient.defaultHttp(), url, TOKEN, null).version().version());
        String kept = Files.readString(file);
        assertTrue(kept.contains(KnownNodes.key(node.url()) + " " + cert.pin().fingerprint()), kept);
        // the next use trusts the kept one without asking the node first
        assertEquals("1", known.client(NodeClient.defaultHttp(), url, TOKEN, null).version().version());
        assertEquals(kept, Files.readString(file));

        // the node (or someone in between) now presents another certificate
        String other = NodeCertificate.selfSigned(dir.resolve("other"), "other").pin().fingerprint();
        Files.writeString(file, KnownNodes.key(node.url()) + " " + other + "\n");
        NodeClientException changed = assertThrows(NodeClientException.class,
                () -> known.client(NodeClient.defaultHttp(), url, TOKEN, null).version());
        assertTrue(changed.getMessage().contains("not the pinned " + other), changed.getMessage());
        UserError differs = assertThrows(UserError.class,
                () -> known.client(NodeClient.defaultHttp(), url, TOKEN, cert.pin().fingerprint()));
        assertTrue(differs.getMessage().contains("differs from the certificate kept"), differs.getMessage());

        UserError notHex = assertThrows(UserError.class, () -> new KnownNodes(dir.resolve("k2"))
                .client(NodeClient.defaultHttp(), url, TOKEN, "abc"));
        assertTrue(notHex.getMessage().contains("64 hex digits"), notHex.getMessage());
        UserError plain = assertThrows(UserError.class, () -> new KnownNodes(dir.resolve("k3"))
                .client(NodeClient.defaultHttp(), "http://127.0.0.1:1", TOKEN, cert.pin().fingerprint()));
        assertTrue(plain.getMessage().contains("needs an https:// URL"), plain.getMessage());
        // an explicit fingerprint is kept for the URL like a first use
        Path k4 = dir.resolve("k4");
        assertEquals("1", new KnownNodes(k4).client(NodeClient.defaultHttp(), url, TOKEN,
                cert.pin().fingerprint().replace(":", "").toLowerCase()).version().version());
        assertTrue(Files.readString(k4).contains(cert.pin().fingerprint()));
    }
}
