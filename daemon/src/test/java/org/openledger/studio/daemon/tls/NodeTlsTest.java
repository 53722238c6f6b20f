package org.openledger.studio.daemon.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.api.Health;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.tls.CertificatePin;
import org.openledger.studio.daemon.Node;
import org.openledger.studio.daemon.NodeConfig;
import org.openledger.studio.daemon.NodeServices;
import org.openledger.studio.daemon.http.ServerLimits;

/** A node over HTTPS: self-signed or from PEM files, pinned by clients, with the slow-peer limits kept. */
class NodeTlsTest {

    private static final String TOKEN = "node-tls-test-token-0123456789abcdef";

    @TempDir
    Path dir;

    private Node node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private Node start(NodeCertificate cert, ServerLimits limits) {
        return Node.start(new NodeConfig(InetAddress.getLoopbackAddress(), 0, dir.resolve("data"), TOKEN, "tls",
                Duration.ofSeconds(2), limits).withTls(cert), "1", NodeServices.none());
    }

    @Test
    void aSelfSignedNodeIsReachedByItsPinAndRefusedUnderAnotherOrWithoutOne() throws Exception {
        NodeCertificate cert = NodeCertificate.selfSigned(dir.resolve("data").resolve("tls"), "tls-node");
        node = start(cert, ServerLimits.defaults());
        assertEquals("https", node.url().getScheme());
        CertificatePin shown = CertificatePin.presentedBy(node.url(), Duration.ofSeconds(5));
        assertEquals(cert.pin(), shown, "what a user is shown is the node's certificate");

        NodeClient pinned = new NodeClient(shown.pinned(NodeClient.defaultHttp()), node.url(), TOKEN);
        Health h = pinned.health();
        assertEquals(cert.pin().fingerprint(), h.tlsSha256());
        assertEquals("1", pinned.version().version(), "authorised calls go through over TLS");

        CertificatePin other = SelfSignedCertificate.make("other", java.time.Instant.now(),
                java.time.Instant.now().plusSeconds(3600)).pin();
        NodeClientException changed = assertThrows(NodeClientException.class,
                () -> new NodeClient(other.pinned(NodeClient.defaultHttp()), node.url(), TOKEN).version());
        assertEquals(NodeClientException.Kind.UNREACHABLE, changed.kind());
        assertTrue(changed.getMessage().contains("not the pinned " + other.fingerprint()), changed.getMessage());
        assertTrue(changed.getMessage().contains(cert.pin().fingerprint()), changed.getMessage());

        // the JDK's default trust (CAs) refuses a self-signed node: no silent fallback
        assertThrows(NodeClientException.class,
                () -> new NodeClient(NodeClient.defaultHttp(), node.url(), TOKEN).health());
    }

    @Test
    void theSelfSignedCertificateIsKeptOwnerOnlyAndReusedAtTheNextStart() throws Exception {
        Path tls = dir.resolve("data").resolve("tls");
        CertificatePin first = NodeCertificate.selfSigned(tls, "n").pin();
        assertEquals(first, NodeCertificate.selfSigned(tls, "n").pin(), "the same certificate at every start");
        assertEquals(first, NodeCertificate.read(tls.resolve(NodeCertificate.CERT_FILE),
                tls.resolve(NodeCertificate.KEY_FILE)).pin(), "the kept files are the --tls-cert/--tls-key layout");
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                tls.resolve(NodeCertificate.KEY_FILE))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls)));
    }

    @Test
    void pemFilesFromOpensslAreServedAndBadOnesAreNamed() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p;
        try {
            p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=openssl-node")
                    .redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "openssl is not installed");
            return;
        }
        p.getInputStream().readAllBytes();
        assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "openssl could not make a certificate");
        NodeCertificate fromFiles = NodeCertificate.read(cert, key);
        node = start(fromFiles, ServerLimits.defaults());
        assertEquals(fromFiles.pin(), CertificatePin.presentedBy(node.url(), Duration.ofSeconds(5)));
        assertEquals("ok", new NodeClient(fromFiles.pin().pinned(NodeClient.defaultHttp()), node.url(), null)
                .health().status());

        Path otherKey = dir.resolve("other-key.pem");
        Files.write(otherKey, NodeCertificate.pem("PRIVATE KEY", java.security.KeyPairGenerator.getInstance("RSA")
                .generateKeyPair().getPrivate().getEncoded()));
        var mismatch = assertThrows(NodeCertificate.TlsException.class, () -> NodeCertificate.read(cert, otherKey));
        assertTrue(mismatch.getMessage().contains("does not belong to the certificate"), mismatch.getMessage());
        var missing = assertThrows(NodeCertificate.TlsException.class,
                () -> NodeCertificate.read(dir.resolve("nope.pem"), key));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Files.writeString(otherKey, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        var old = assertThrows(NodeCertificate.TlsException.class, () -> NodeCertificate.read(cert, otherKey));
        assertTrue(old.getMessage().contains("openssl pkcs8 -topk8"), old.getMessage());
    }

    @Test
    void aPeerThatStallsTheHandshakeIsCutOffAtTheHeaderTimeOut() throws Exception {
        node = start(NodeCertificate.selfSigned(dir.resolve("tls"), "n"),
                new ServerLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(2), 32, 16));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), node.port())) {
            // the first bytes of a TLS record header, then nothing
            s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
            s.getOutputStream().flush();
            long start = System.nanoTime();
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            try {
                while (in.read() >= 0) {
                    // whatever the node writes before closing
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the node kept a stalled TLS handshake open for 5 s");
            } catch (SocketException e) {
                // reset: closed
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms < 4000, "closed after " + ms + " ms");
        }
        assertEquals("ok", new NodeClient(CertificatePin.presentedBy(node.url(), Duration.ofSeconds(5))
                .pinned(NodeClient.defaultHttp()), node.url(), null).health().status());
    }
}
