package org.openledger.studio.api.tls;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import okhttp3.OkHttpClient;

/**
 * Which certificate a client trusts for a node, trust on first use like ssh's {@code accept-new}: the one kept for
 * the node, else the one the user gave (checked against what the node presents), else the one the node presents now,
 * to be shown to the user, who accepts it or not. A given fingerprint that differs from the kept one or from the
 * presented one is refused naming both. One rule for the CLI ({@code known-nodes}) and the studio (its node list),
 * each of which keeps the accepted pin in its own place.
 */
public final class NodeTrust {

    /** How long a first-use probe waits for the node's TLS handshake. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private NodeTrust() {
    }

    /**
     * What to trust.
     *
     * @param pin      the certificate to accept, and only it
     * @param firstUse true when nothing was kept for this node: the caller keeps {@code pin} (after the user accepted
     *                 it, when it was not given but presented)
     * @param given    true when {@code pin} is the fingerprint the user gave
     */
    public record Decision(CertificatePin pin, boolean firstUse, boolean given) {
    }

    /** A fingerprint that cannot be used: not one, for an http URL, or differing from what is kept or presented. */
    public static final class Refused extends IllegalArgumentException {
        public Refused(String message) {
            super(message);
        }
    }

    /** {@code https://host:port}, lower-case, with the default port made explicit: the node a pin belongs to. */
    public static String key(URI url) {
        int port = url.getPort() < 0 ? 443 : url.getPort();
        return "https://" + url.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** Whether {@code url} is served over TLS, so that a certificate is to be pinned. */
    public static boolean isTls(URI url) {
        return "https".equalsIgnoreCase(url.getScheme());
    }

    /** The fingerprint the user typed, or null when blank. */
    public static CertificatePin given(String fingerprint) {
        if (fingerprint == null || fingerprint.isBlank()) {
            return null;
        }
        try {
            return CertificatePin.of(fingerprint);
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
    }

    /**
     * Decides what to trust for the https node at {@code url}. Only a first use without a kept pin talks to the node
     * (a TLS handshake, no request).
     *
     * @param given the fingerprint the user gave, or null
     * @param kept  the pin kept for this node, or null
     * @param where where the pin is kept, for the messages (e.g. a file, "the studio's node list")
     * @throws Refused     when {@code given} differs from {@code kept} or from the presented certificate, or the URL
     *                     is not https
     * @throws IOException when the node does not answer TLS at first use
     */
    public static Decision decide(URI url, CertificatePin given, CertificatePin kept, String where)
            throws IOException {
        if (!isTls(url)) {
            if (given != null) {
                throw new Refused("A TLS fingerprint needs an https:// URL, not " + url);
            }
            return null;
        }
        if (kept != null) {
            if (given != null && !given.equals(kept)) {
                throw new Refused("The fingerprint " + given + " differs from the certificate kept for " + key(url)
                        + " (" + kept + ") in " + where + "; remove the node there if its certificate was replaced");
            }
            return new Decision(kept, false, given != null);
        }
        CertificatePin presented = CertificatePin.presentedBy(url, PROBE_TIMEOUT);
        if (given != null && !given.equals(presented)) {
            throw new Refused("The node at " + key(url) + " presents the TLS certificate " + presented
                    + ", not the fingerprint given (" + given + "); check what the node printed at start");
        }
        return new Decision(presented, true, given != null);
    }

    /** {@code base} for a node: as it is without a pin (http), else trusting only {@code pin}. */
    public static OkHttpClient http(OkHttpClient base, CertificatePin pin) {
        return pin == null ? base : pin.pinned(base);
    }
}
