package org.openledger.studio.daemon.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A self-signed X.509 v3 certificate for an EC P-256 key, written in DER by hand (RFC 5280 section 4.1): the JDK can
 * parse and use certificates but has no public API to make one, and a library (BouncyCastle's bcpkix) for ~100 lines
 * of DER is not worth its weight and its advisories. No extensions: clients pin the certificate's hash instead of
 * checking names or a CA.
 */
public final class SelfSignedCertificate {

    /** ecdsa-with-SHA256, RFC 5758. */
    private static final int[] ECDSA_SHA256 = {1, 2, 840, 10045, 4, 3, 2};
    /** id-at-commonName. */
    private static final int[] COMMON_NAME = {2, 5, 4, 3};
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private SelfSignedCertificate() {
    }

    /** A new P-256 key and its certificate for {@code commonName}, valid from {@code from} to {@code until}. */
    public static NodeCertificate make(String commonName, Instant from, Instant until) {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair keys = gen.generateKeyPair();
            byte[] serial = new byte[16];
            random.nextBytes(serial);
            serial[0] &= 0x7f;
            byte[] algorithm = sequence(oid(ECDSA_SHA256));
            byte[] name = sequence(set(sequence(oid(COMMON_NAME), tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
            byte[] tbs = sequence(
                    tlv(0xa0, integer(BigInteger.TWO)),        // [0] EXPLICIT version: v3
                    integer(new BigInteger(1, serial)),
                    algorithm,
                    name,                                       // issuer = subject: self-signed
                    sequence(time(from), time(until)),
                    name,
                    keys.getPublic().getEncoded());             // SubjectPublicKeyInfo, DER already
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate(), random);
            signer.update(tbs);
            byte[] signature = signer.sign();                   // ECDSA-Sig-Value, DER already
            byte[] der = sequence(tbs, algorithm, bitString(signature));
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            cert.verify(keys.getPublic());
            return new NodeCertificate(cert, keys.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static byte[] time(Instant t) {
        // RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050
        int year = t.atZone(ZoneOffset.UTC).getYear();
        return year < 2050 ? tlv(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII))
                : tlv(0x18, GENERALIZED_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] integer(BigInteger v) {
        return tlv(0x02, v.toByteArray());
    }

    private static byte[] bitString(byte[] bits) {
        byte[] content = new byte[bits.length + 1];
        System.arraycopy(bits, 0, content, 1, bits.length);   // first byte: no unused bits
        return tlv(0x03, content);
    }

    static byte[] oid(int[] arcs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(40 * arcs[0] + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int v = arcs[i];
            int groups = 1;
            for (int x = v >>> 7; x > 0; x >>>= 7) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                int b = (v >>> (7 * g)) & 0x7f;
                out.write(g > 0 ? b | 0x80 : b);
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Tag, definite length (short form below 128, else 0x8N and N bytes), content. */
    static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write((n >>> (8 * i)) & 0xff);
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
