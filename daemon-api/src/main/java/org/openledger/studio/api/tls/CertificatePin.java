package org.openledger.studio.api.tls;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * A node's TLS certificate, pinned by the SHA-256 of its DER encoding (what {@code openssl x509 -fingerprint
 * -sha256} prints). Nodes use self-signed certificates that no CA vouches for, so the client trusts exactly the one
 * certificate it was shown and the user accepted (trust on first use), and nothing else: no CA, no host-name rule.
 */
public final class CertificatePin {

    private final String fingerprint;

    private CertificatePin(String fingerprint) {
        this.fingerprint = fingerprint;
    }

    /**
     * A pin from its text: 64 hex digits, with or without colons, any case.
     *
     * @throws IllegalArgumentException when it is not a SHA-256 fingerprint
     */
    public static CertificatePin of(String text) {
        String hex = text == null ? "" : text.trim().replace(":", "").toUpperCase(Locale.ROOT);
        if (!hex.matches("[0-9A-F]{64}")) {
            throw new IllegalArgumentException("A TLS fingerprint is 64 hex digits (SHA-256, colons allowed), e.g. "
                    + "what the node prints at start; got '" + (text == null ? "" : text.trim()) + "'");
        }
        StringBuilder b = new StringBuilder(95);
        for (int i = 0; i < 64; i += 2) {
            if (i > 0) {
                b.append(':');
            }
            b.append(hex, i, i + 2);
        }
        return new CertificatePin(b.toString());
    }

    /** The pin of {@code certificate}. */
    public static CertificatePin of(X509Certificate certificate) {
        try {
            byte[] der = certificate.getEncoded();
            return of(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der)));
        } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot hash the certificate: " + e.getMessage(), e);
        }
    }

    /** {@code AB:CD:...}, 32 pairs of upper-case hex digits. */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificatePin p && p.fingerprint.equals(fingerprint);
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    public String toString() {
        return fingerprint;
    }

    /** {@code base} that trusts only this certificate (host names are not checked: the pin names the peer). */
    public OkHttpClient pinned(OkHttpClient base) {
        X509TrustManager trust = new Pinned(this, null);
        return base.newBuilder().sslSocketFactory(context(trust).getSocketFactory(), trust)
                .hostnameVerifier((host, session) -> true).build();
    }

    /**
     * Connects to {@code url}'s host and port over TLS and returns the pin of the certificate it presents, without
     * sending a request: what a user is shown before deciding to trust a node.
     *
     * @throws IOException when nothing answers TLS there
     */
    public static CertificatePin presentedBy(URI url, Duration timeout) throws IOException {
        AtomicReference<X509Certificate> seen = new AtomicReference<>();
        Pinned record = new Pinned(null, seen);
        int port = url.getPort() < 0 ? 443 : url.getPort();
        try (SSLSocket socket = (SSLSocket) context(record).getSocketFactory().createSocket()) {
            socket.connect(new java.net.InetSocketAddress(url.getHost(), port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.startHandshake();
        }
        if (seen.get() == null) {
            throw new IOException("The node at " + url + " presented no certificate");
        }
        return of(seen.get());
    }

    private static SSLContext context(X509TrustManager trust) {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {trust}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JDK: " + e.getMessage(), e);
        }
    }

    /** A server certificate other than the pinned one. */
    public static final class Mismatch extends CertificateException {
        private final CertificatePin expected;
        private final CertificatePin presented;

        Mismatch(CertificatePin expected, CertificatePin presented) {
            super("the node presented the TLS certificate " + presented + ", not the pinned " + expected
                    + "; if its operator replaced the certificate, remove the node and add it again");
            this.expected = expected;
            this.presented = presented;
        }

        public CertificatePin expected() {
            return expected;
        }

        public CertificatePin presented() {
            return presented;
        }
    }

    /** Accepts exactly the pinned certificate (or, with no pin, records what was presented and accepts it). */
    private record Pinned(CertificatePin pin, AtomicReference<X509Certificate> seen) implements X509TrustManager {

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the node presented no certificate");
            }
            if (pin == null) {
                seen.set(chain[0]);
                return;
            }
            CertificatePin presented = of(chain[0]);
            if (!pin.equals(presented)) {
                throw new Mismatch(pin, presented);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a studio never accepts client certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
