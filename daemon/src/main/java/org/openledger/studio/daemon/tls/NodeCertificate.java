package org.openledger.studio.daemon.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.openledger.studio.api.tls.CertificatePin;
import org.openledger.studio.store.Folders;

/**
 * The node's TLS identity: its certificate and private key, from PEM files the operator gives
 * ({@code --tls-cert}/{@code --tls-key}) or self-signed and kept in {@code <data>/tls/} (the key owner-only).
 */
public final class NodeCertificate {

    public static final String CERT_FILE = "node-cert.pem";
    public static final String KEY_FILE = "node-key.pem";

    private final X509Certificate certificate;
    private final PrivateKey key;

    NodeCertificate(X509Certificate certificate, PrivateKey key) {
        this.certificate = Objects.requireNonNull(certificate);
        this.key = Objects.requireNonNull(key);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The SHA-256 of the certificate, which clients pin. */
    public CertificatePin pin() {
        return CertificatePin.of(certificate);
    }

    /**
     * Reads a PEM certificate (the first of the file; a chain's others are ignored) and its PEM PKCS#8 private key
     * ({@code BEGIN PRIVATE KEY}, RSA or EC), and checks that they belong together.
     *
     * @throws TlsException naming the file and what is wrong with it
     */
    public static NodeCertificate read(Path certPem, Path keyPem) {
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(readFile(certPem, "--tls-cert")));
        } catch (CertificateException e) {
            throw new TlsException("The --tls-cert file " + certPem + " holds no PEM certificate: " + e.getMessage());
        }
        String text = new String(readFile(keyPem, "--tls-key"), StandardCharsets.US_ASCII);
        PrivateKey key = privateKey(text, keyPem);
        NodeCertificate c = new NodeCertificate(cert, key);
        c.checkPair(certPem, keyPem);
        return c;
    }

    /**
     * The self-signed certificate kept in {@code folder}, made (P-256, 10 years) on first use. The folder is made
     * owner-only and both files are written owner-only from their creation (never widened then narrowed).
     */
    public static NodeCertificate selfSigned(Path folder, String commonName) {
        Path cert = folder.resolve(CERT_FILE);
        Path key = folder.resolve(KEY_FILE);
        if (Files.exists(cert) || Files.exists(key)) {
            return read(cert, key);
        }
        Instant now = Instant.now();
        NodeCertificate made = SelfSignedCertificate.make(commonName, now.minus(Duration.ofMinutes(5)),
                now.plus(Duration.ofDays(3650)));
        try {
            Folders.ensureWritable(folder);
            Folders.writeAtomically(key, pem("PRIVATE KEY", made.key.getEncoded()), true);
            Folders.writeAtomically(cert, pem("CERTIFICATE", made.certificate.getEncoded()), true);
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsException("Cannot keep the node's TLS certificate in " + folder + ": " + e.getMessage());
        }
        return made;
    }

    /** A TLS server context presenting this certificate. */
    public SSLContext serverContext() {
        char[] password = new char[24];
        SecureRandom r = new SecureRandom();
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + r.nextInt(26));
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("node", key, password, new java.security.cert.Certificate[] {certificate});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("Cannot set up TLS with this certificate: " + e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    static byte[] pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return ("-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static PrivateKey privateKey(String text, Path file) {
        if (text.contains("ENCRYPTED PRIVATE KEY")) {
            throw new TlsException("The --tls-key file " + file + " is encrypted; give the node an unencrypted "
                    + "PKCS#8 key in an owner-only file (openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem)");
        }
        if (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")) {
            throw new TlsException("The --tls-key file " + file + " is in the older PKCS#1/SEC1 layout; convert it "
                    + "with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pem");
        }
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new TlsException("The --tls-key file " + file + " holds no PEM private key (BEGIN PRIVATE KEY)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
        } catch (IllegalArgumentException e) {
            throw new TlsException("The --tls-key file " + file + " is not valid PEM: " + e.getMessage());
        }
        try {
            for (String algorithm : new String[] {"EC", "RSA"}) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                } catch (InvalidKeySpecException ignored) {
                    // try the next algorithm
                }
            }
        } catch (GeneralSecurityException e) {
            throw new TlsException("Cannot read the key in " + file + ": " + e.getMessage());
        } finally {
            Arrays.fill(der, (byte) 0);
        }
        throw new TlsException("The --tls-key file " + file + " holds neither an EC nor an RSA key");
    }

    /** Signs a probe with the key and verifies it with the certificate, so mismatched files fail at start. */
    private void checkPair(Path certPem, Path keyPem) {
        String algorithm = "RSA".equals(key.getAlgorithm()) ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            byte[] probe = "studio-node-tls-probe".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(certificate.getPublicKey());
            v.update(probe);
            if (v.verify(sig)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // falls through to the message below
        }
        throw new TlsException("The key in " + keyPem + " does not belong to the certificate in " + certPem);
    }

    private static byte[] readFile(Path file, String option) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsException("The " + option + " file " + file + " does not exist");
        } catch (IOException e) {
            throw new TlsException("Cannot read the " + option + " file " + file + ": " + e.getMessage());
        }
    }

    /** A certificate or key that cannot be used, with a message for the operator. */
    public static final class TlsException extends RuntimeException {
        public TlsException(String message) {
            super(message);
        }
    }
}
