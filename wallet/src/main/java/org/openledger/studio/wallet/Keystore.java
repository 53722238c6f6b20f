package org.openledger.studio.wallet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openledger.studio.store.Folders;
import org.web3j.crypto.Hash;

/**
 * Web3 Secret Storage (keystore v3), the encrypted key file geth, MetaMask, cast and web3j all read: scrypt (or
 * PBKDF2, read only) derives 32 bytes from the password; the first 16 are an AES-128-CTR key for the secret, the last
 * 16 prove the password through {@code mac = keccak256(dk[16..32] || ciphertext)}. Implemented here rather than via
 * web3j's {@code Wallet} so that the password stays a wipeable {@code char[]} and no key ever becomes a String.
 */
public final class Keystore {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private final ScryptParams params;
    private final SecureRandom random;

    public Keystore(ScryptParams params, SecureRandom random) {
        this.params = params;
        this.random = random;
    }

    public ScryptParams params() {
        return params;
    }

    /** A keystore v3 JSON document holding {@code key}, encrypted under {@code password}. */
    public String encrypt(PrivateKey key, Secret password) {
        byte[] plain = key.bytes();
        try {
            ObjectNode root = JSON.createObjectNode();
            root.put("address", key.address().lowercase().substring(2));
            root.set("crypto", seal(plain, password));
            root.put("id", UUID.randomUUID().toString());
            root.put("version", 3);
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } finally {
            Secret.wipe(plain);
        }
    }

    /**
     * Opens a keystore v3 document.
     *
     * @throws WrongPasswordException    when the password does not match
     * @throws CorruptKeystoreException  when the document is not a readable keystore, or its key does not match the
     *                                   address it declares
     */
    public PrivateKey decrypt(String json, Secret password) {
        JsonNode root = parse(json);
        if (root.path("version").asInt(-1) != 3) {
            throw new CorruptKeystoreException("Only keystore version 3 is supported; this file says version "
                    + root.path("version").asText("(none)"));
        }
        byte[] plain = open(root.get("crypto") != null ? root.get("crypto") : root.get("Crypto"), password);
        if (plain.length != 32) {
            Secret.wipe(plain);
            throw new CorruptKeystoreException("The keystore holds " + plain.length + " bytes, not a 32-byte key");
        }
        PrivateKey key = PrivateKey.of(plain);
        String declared = root.path("address").asText("");
        if (!declared.isEmpty() && !Address.parse(declared).equals(key.address())) {
            key.close();
            throw new CorruptKeystoreException("The keystore's key belongs to " + key.address()
                    + " but the file claims " + declared + ": the file was altered");
        }
        return key;
    }

    /** The address a keystore declares, readable without the password (watch-only display, file pickers). */
    public static Address declaredAddress(String json) {
        JsonNode root = parse(json);
        String a = root.path("address").asText("");
        if (a.isEmpty()) {
            throw new CorruptKeystoreException("This keystore does not state its address");
        }
        return Address.parse(a);
    }

    /** Writes a keystore file readable by its owner only, atomically (a reader never sees half a file). */
    public void write(Path file, PrivateKey key, Secret password) {
        writeOwnerOnly(file, encrypt(key, password));
    }

    /** Reads and opens a keystore file. */
    public PrivateKey read(Path file, Secret password) {
        return decrypt(readText(file), password);
    }

    static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CorruptKeystoreException("The keystore file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new CorruptKeystoreException("The keystore file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    static void writeOwnerOnly(Path file, String text) {
        try {
            Folders.writeAtomically(file, text.getBytes(StandardCharsets.UTF_8), true);
        } catch (IOException e) {
            throw new WalletException("Cannot write the keystore file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The {@code crypto} object of a keystore: any secret bytes sealed under a password (also used for the seed). */
    ObjectNode seal(byte[] plain, Secret password) {
        byte[] salt = new byte[32];
        byte[] iv = new byte[16];
        random.nextBytes(salt);
        random.nextBytes(iv);
        byte[] pw = password.utf8();
        byte[] dk = SCrypt.generate(pw, salt, params.n(), params.r(), params.p(), 32);
        Secret.wipe(pw);
        try {
            byte[] cipherText = aesCtr(dk, iv, plain);
            ObjectNode crypto = JSON.createObjectNode();
            crypto.put("cipher", "aes-128-ctr");
            crypto.put("ciphertext", HEX.formatHex(cipherText));
            crypto.putObject("cipherparams").put("iv", HEX.formatHex(iv));
            crypto.put("kdf", "scrypt");
            ObjectNode kdf = crypto.putObject("kdfparams");
            kdf.put("dklen", 32);
            kdf.put("n", params.n());
            kdf.put("p", params.p());
            kdf.put("r", params.r());
            kdf.put("salt", HEX.formatHex(salt));
            crypto.put("mac", HEX.formatHex(mac(dk, cipherText)));
            return crypto;
        } finally {
            Secret.wipe(dk);
        }
    }

    /** Opens a {@code crypto} object; the caller must wipe the result. */
    byte[] open(JsonNode crypto, Secret password) {
        if (crypto == null || !crypto.isObject()) {
            throw new CorruptKeystoreException("The keystore has no 'crypto' section");
        }
        String cipher = text(crypto, "cipher");
        if (!"aes-128-ctr".equals(cipher)) {
            throw new CorruptKeystoreException("Unsupported keystore cipher '" + cipher + "' (only aes-128-ctr)");
        }
        byte[] cipherText = hex(crypto, "ciphertext", text(crypto, "ciphertext"));
        byte[] iv = hex(crypto, "iv", text(crypto.path("cipherparams"), "iv"));
        byte[] mac = hex(crypto, "mac", text(crypto, "mac"));
        if (iv.length != 16) {
            throw new CorruptKeystoreException("The keystore's AES IV has " + iv.length + " bytes, not 16");
        }
        byte[] dk = deriveKey(crypto, password);
        try {
            if (!MessageDigest.isEqual(mac(dk, cipherText), mac)) {
                throw new WrongPasswordException("Wrong password for this keystore");
            }
            return aesCtr(dk, iv, cipherText);
        } finally {
            Secret.wipe(dk);
        }
    }

    private static byte[] deriveKey(JsonNode crypto, Secret password) {
        String kdf = text(crypto, "kdf");
        JsonNode p = crypto.path("kdfparams");
        int dklen = p.path("dklen").asInt(-1);
        if (dklen != 32) {
            throw new CorruptKeystoreException("The keystore's key length is " + dklen + ", expected 32");
        }
        byte[] salt = hex(crypto, "salt", text(p, "salt"));
        byte[] pw = password.utf8();
        try {
            if ("scrypt".equals(kdf)) {
                ScryptParams sp;
                try {
                    sp = new ScryptParams(p.path("n").asInt(-1), p.path("r").asInt(-1), p.path("p").asInt(-1));
                } catch (IllegalArgumentException e) {
                    throw new CorruptKeystoreException("The keystore's scrypt parameters are unusable: "
                            + e.getMessage(), e);
                }
                return SCrypt.generate(pw, salt, sp.n(), sp.r(), sp.p(), dklen);
            }
            if ("pbkdf2".equals(kdf)) {
                if (!"hmac-sha256".equals(p.path("prf").asText())) {
                    throw new CorruptKeystoreException("Unsupported PBKDF2 function '" + p.path("prf").asText() + "'");
                }
                int c = p.path("c").asInt(-1);
                if (c < 1 || c > 10_000_000) {
                    throw new CorruptKeystoreException("The keystore's PBKDF2 round count " + c + " is unusable");
                }
                PKCS5S2ParametersGenerator g = new PKCS5S2ParametersGenerator(new SHA256Digest());
                g.init(pw, salt, c);
                return ((KeyParameter) g.generateDerivedParameters(dklen * 8)).getKey();
            }
            throw new CorruptKeystoreException("Unsupported key derivation '" + kdf + "' (scrypt or pbkdf2)");
        } finally {
            Secret.wipe(pw);
        }
    }

    private static byte[] mac(byte[] dk, byte[] cipherText) {
        byte[] in = new byte[16 + cipherText.length];
        System.arraycopy(dk, 16, in, 0, 16);
        System.arraycopy(cipherText, 0, in, 16, cipherText.length);
        byte[] out = Hash.sha3(in);
        Secret.wipe(in);
        return out;
    }

    private static byte[] aesCtr(byte[] dk, byte[] iv, byte[] data) {
        byte[] key = Arrays.copyOf(dk, 16);
        try {
            Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-128-CTR is part of every JDK", e);
        } finally {
            Secret.wipe(key);
        }
    }

    private static JsonNode parse(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.isObject()) {
                throw new CorruptKeystoreException("A keystore is a JSON object; this file is not");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new CorruptKeystoreException("This file is not a keystore: it is not valid JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new CorruptKeystoreException("The keystore is missing its '" + field + "' field");
        }
        return v.asText();
    }

    private static byte[] hex(JsonNode node, String field, String value) {
        try {
            return HEX.parseHex(value.startsWith("0x") ? value.substring(2) : value);
        } catch (IllegalArgumentException e) {
            throw new CorruptKeystoreException("The keystore's '" + field + "' is not hex", e);
        }
    }
}
