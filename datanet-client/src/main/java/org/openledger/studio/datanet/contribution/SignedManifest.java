package org.openledger.studio.datanet.contribution;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Objects;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/** A manifest with the contributor's EIP-712 signature (65 bytes r ‖ s ‖ v, hex). */
public record SignedManifest(
        @JsonProperty("manifest") ContributionManifest manifest,
        @JsonProperty("signature") String signature) {

    public SignedManifest {
        Objects.requireNonNull(manifest);
        Objects.requireNonNull(signature);
        if (Hex.bytes(signature).length != 65) {
            throw new IllegalArgumentException("an EIP-712 signature has 65 bytes");
        }
    }

    public static SignedManifest of(ContributionManifest manifest, byte[] signature) {
        return new SignedManifest(manifest, Hex.of(signature));
    }

    /** The address that signed this manifest for {@code domain}, recovered from the signature. */
    public String recoverSigner(ManifestDomain domain) {
        byte[] sig = Hex.bytes(signature);
        byte v = sig[64];
        if (v < 27) {
            v += 27;
        }
        Sign.SignatureData data = new Sign.SignatureData(v, Arrays.copyOfRange(sig, 0, 32), Arrays.copyOfRange(sig, 32, 64));
        try {
            BigInteger key = Sign.signedMessageHashToKey(new ManifestTypedData(manifest, domain).digest(), data);
            return "0x" + Keys.getAddress(key);
        } catch (SignatureException e) {
            throw new IllegalArgumentException("the signature is malformed: " + e.getMessage(), e);
        }
    }

    /** Signed by the manifest's contributor, for this domain. */
    public boolean signedByContributor(ManifestDomain domain) {
        try {
            return recoverSigner(domain).equalsIgnoreCase(manifest.contributor());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
