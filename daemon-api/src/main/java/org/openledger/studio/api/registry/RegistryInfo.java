package org.openledger.studio.api.registry;

/**
 * {@code GET /v1/registry}: the EIP-712 domain the node verifies contribution manifests against (its chain and
 * Datanet registry contract), so the studio signs for exactly that.
 */
public record RegistryInfo(long chainId, String verifyingContract) {
}
