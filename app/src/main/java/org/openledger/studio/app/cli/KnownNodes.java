package org.openledger.studio.app.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.tls.CertificatePin;
import org.openledger.studio.api.tls.NodeTrust;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.store.Folders;

/**
 * The TLS certificates the CLI trusts, one per node URL, in {@code <config>/known-nodes} ({@code URL FINGERPRINT}
 * lines, owner-only), as ssh's {@code known_hosts} with {@code accept-new}: the first connection to an https node
 * prints the fingerprint and keeps it; afterwards only that certificate is accepted, and a different one is refused
 * with both fingerprints named. {@code --tls-fingerprint} pins one up front (and is kept the same way).
 */
public final class KnownNodes {

    private final Path file;

    public KnownNodes(Path file) {
        this.file = file;
    }

    /** The current user's list. */
    public static KnownNodes forCurrentUser() {
        return new KnownNodes(AppDirs.forCurrentUser().config().resolve("known-nodes"));
    }

    /** A client of {@code url} with {@code token}: over https pinned ({@link #http}), over http as it is. */
    public NodeClient client(OkHttpClient base, String url, String token, String fingerprint) {
        URI parsed = NodeClient.parseBaseUrl(url);
        return new NodeClient(http(base, parsed, fingerprint), parsed, token);
    }

    /**
     * {@code base} for {@code url}: unchanged for http, else trusting only the certificate given (
     * {@code fingerprint}), kept for this URL, or (first use) presented now, which is then printed and kept.
     *
     * @throws UserError when the given fingerprint differs from the kept one, or no TLS answers at first use
     */
    public OkHttpClient http(OkHttpClient base, URI url, String fingerprint) {
        Map<String, String> known = read();
        NodeTrust.Decision trust;
        try {
            CertificatePin given = NodeTrust.given(fingerprint);
            String kept = NodeTrust.isTls(url) ? known.get(key(url)) : null;
            trust = NodeTrust.decide(url, given, kept == null ? null : CertificatePin.of(kept), file.toString());
        } catch (NodeTrust.Refused e) {
            throw new UserError("--tls-fingerprint: " + e.getMessage());
        } catch (IOException e) {
            throw new UserError("Cannot reach " + url + " over TLS: " + e.getMessage());
        }
        if (trust == null) {
            return base;
        }
        if (trust.firstUse()) {
            if (!trust.given()) {
                System.err.println("studio: trusting " + key(url) + " on first use: TLS certificate SHA-256 "
                        + trust.pin() + " (kept in " + file + "; compare it with what the node printed at start)");
            }
            known.put(key(url), trust.pin().fingerprint());
            write(known);
        }
        return NodeTrust.http(base, trust.pin());
    }

    /** {@code https://host:port}, lower-case, with the default port made explicit. */
    static String key(URI url) {
        return NodeTrust.key(url);
    }

    private Map<String, String> read() {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2 && !parts[0].startsWith("#")) {
                    out.put(parts[0], parts[1]);
                }
            }
        } catch (IOException e) {
            throw new UserError("Cannot read " + file + ": " + e.getMessage());
        }
        return out;
    }

    private void write(Map<String, String> known) {
        StringBuilder b = new StringBuilder("# TLS certificates of studio nodes (URL SHA-256), trusted on first use\n");
        known.forEach((url, fp) -> b.append(url).append(' ').append(fp).append('\n'));
        try {
            Folders.writeAtomically(file, b.toString().getBytes(StandardCharsets.UTF_8), true);
        } catch (IOException e) {
            throw new UserError("Cannot keep the node's certificate in " + file + ": " + e.getMessage());
        }
    }
}
