package org.openledger.studio.wallet.chain;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openledger.studio.wallet.WalletException;

/**
 * Where the foundry binaries are: {@code anvil} (the local devnet) and {@code cast} (used by tests as an independent
 * signer). The build installs them from npm ({@code @foundry-rs/anvil-linux-amd64}, {@code @foundry-rs/cast-linux-amd64})
 * into {@code wallet/chain-tools/node_modules}; an installed studio points here at its bundled copy.
 */
public record FoundryTools(Path anvil, Path cast) {

    /** The system property and environment variable that name the {@code node_modules} folder holding the tools. */
    public static final String PROPERTY = "openledger.chainTools";
    public static final String ENV = "OPENLEDGER_CHAIN_TOOLS";

    /**
     * The tools inside an npm {@code node_modules} folder.
     *
     * @throws WalletException naming the missing binary and how to install it
     */
    public static FoundryTools in(Path nodeModules) {
        Path anvil = nodeModules.resolve("@foundry-rs/anvil-linux-amd64/bin/anvil");
        Path cast = nodeModules.resolve("@foundry-rs/cast-linux-amd64/bin/cast");
        requireExecutable(anvil, "anvil");
        return new FoundryTools(anvil, Files.isExecutable(cast) ? cast : null);
    }

    /** From {@value #PROPERTY} or {@value #ENV}. */
    public static FoundryTools fromEnvironment() {
        String dir = System.getProperty(PROPERTY, System.getenv(ENV));
        if (dir == null || dir.isBlank()) {
            throw new WalletException("The local chain needs anvil: set -D" + PROPERTY + " or " + ENV
                    + " to the node_modules folder that holds @foundry-rs/anvil-linux-amd64 (the build installs it "
                    + "under wallet/chain-tools with npm ci)");
        }
        return in(Path.of(dir));
    }

    /** The {@code cast} binary, which only development and test installs carry. */
    public Path requireCast() {
        if (cast == null) {
            throw new WalletException("cast is not installed next to anvil; run npm ci in wallet/chain-tools");
        }
        return cast;
    }

    private static void requireExecutable(Path binary, String name) {
        if (!Files.isExecutable(binary)) {
            throw new WalletException(name + " was not found at " + binary + " (or is not executable). Install it "
                    + "with `npm ci` in wallet/chain-tools (the Maven build does this), or point " + PROPERTY
                    + " at the right node_modules folder");
        }
    }
}
