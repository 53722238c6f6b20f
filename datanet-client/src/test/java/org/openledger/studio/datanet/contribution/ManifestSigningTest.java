package org.openledger.studio.datanet.contribution;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openledger.studio.datanet.check.RowHash;
import org.web3j.crypto.StructuredDataEncoder;

class ManifestSigningTest {

    private final ManifestDomain domain = new ManifestDomain(161201, "0x5FbDB2315678afecb367f032d93F642f64180aa3");
    private final ContributionManifest manifest = ContributionManifest.of(BigInteger.valueOf(7),
            KeySigner.DEV_ADDRESS, "CC-BY-4.0", BigInteger.ONE,
            List.of(RowHash.of("first row"), RowHash.of("second row")));

    @Test
    void theDigestIsTheEip712HashThatWeb3jComputesFromTheTypedData() throws Exception {
        ManifestTypedData typed = new ManifestTypedData(manifest, domain);
        assertArrayEquals(new StructuredDataEncoder(typed.json()).hashStructuredData(), typed.digest());
    }

    @Test
    void aSignatureRecoversToTheContributorAndCoversEveryField() {
        KeySigner signer = new KeySigner(KeySigner.DEV_KEY);
        assertEquals(KeySigner.DEV_ADDRESS, signer.address());
        ManifestTypedData typed = new ManifestTypedData(manifest, domain);
        SignedManifest signed = SignedManifest.of(manifest, signer.sign(typed.digest(), typed.json()));

        assertTrue(signed.recoverSigner(domain).equalsIgnoreCase(KeySigner.DEV_ADDRESS));
        assertTrue(signed.signedByContributor(domain));
        assertFalse(signed.signedByContributor(new ManifestDomain(1612, domain.verifyingContract())),
                "a testnet signature does not hold on mainnet");
        ContributionManifest otherLicence = new ContributionManifest(manifest.datanetId(), manifest.contributor(),
                "MIT", manifest.nonce(), manifest.rowCount(), manifest.merkleRoot(), manifest.rowHashes());
        assertFalse(new SignedManifest(otherLicence, signed.signature()).signedByContributor(domain));
        assertTrue(manifest.rootMatchesRows());
    }
}
