package org.openledger.studio.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The compiled contracts shipped in this jar: ABI (JSON) and creation bytecode (hex) per contract, produced by the
 * build from {@code src/main/solidity} with the pinned solc-js. Typed bindings live in
 * {@code org.openledger.studio.contracts.generated}.
 */
public final class ContractArtifacts {

    /** Every contract, in deployment order (each depends only on those before it). */
    public static final List<String> NAMES = List.of("OpenToken", "StakingVault", "DatanetRegistry", "ModelRegistry",
            "RewardDistributor");

    private ContractArtifacts() {
    }

    /** The ABI of {@code name} as a JSON array. */
    public static String abi(String name) {
        return read(name + ".abi");
    }

    /** The creation bytecode of {@code name}, hex without {@code 0x}. */
    public static String bytecode(String name) {
        return read(name + ".bin");
    }

    private static String read(String file) {
        try (InputStream in = ContractArtifacts.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("The contract artifact " + file + " is missing from the contracts jar;"
                        + " rebuild the contracts module (it compiles src/main/solidity)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
