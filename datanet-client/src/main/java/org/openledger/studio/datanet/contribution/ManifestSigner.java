package org.openledger.studio.datanet.contribution;

/**
 * Signs a manifest's EIP-712 digest with the contributor's key. The wallet implements it; keys never enter this
 * module. The wallet should show {@code typedDataJson} to the user before signing and must sign exactly
 * {@code digest} (already the EIP-712 hash: no further prefix).
 */
public interface ManifestSigner {

    /** The signing account's address, 0x + 40 hex digits. */
    String address();

    /**
     * @return 65 bytes r ‖ s ‖ v with v = 27 or 28
     * @throws SigningRefusedException when the user declines or the wallet is locked
     */
    byte[] sign(byte[] digest, String typedDataJson);
}
