package org.openledger.studio.wallet.devnet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.openledger.studio.store.Folders;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.WalletException;

/** Where the OPEN economy's contracts live on one chain; saved as {@code deployment.json}. */
public record Deployment(long chainId, Address deployer, Address openToken, Address stakingVault,
                         Address datanetRegistry, Address modelRegistry, Address rewardDistributor,
                         Instant deployedAt) {

    public static final String FILE = "deployment.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public void write(Path folder) {
        ObjectNode root = JSON.createObjectNode();
        root.put("chainId", chainId);
        root.put("deployer", deployer.toString());
        ObjectNode c = root.putObject("contracts");
        c.put("OpenToken", openToken.toString());
        c.put("StakingVault", stakingVault.toString());
        c.put("DatanetRegistry", datanetRegistry.toString());
        c.put("ModelRegistry", modelRegistry.toString());
        c.put("RewardDistributor", rewardDistributor.toString());
        root.put("deployedAt", deployedAt.toString());
        try {
            Folders.writeAtomically(folder.resolve(FILE),
                    root.toPrettyString().getBytes(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            throw new WalletException("Cannot save the contract addresses to " + folder.resolve(FILE) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * @throws WalletException when the file exists but is damaged (it names the file; deleting it redeploys)
     */
    public static java.util.Optional<Deployment> read(Path folder) {
        Path file = folder.resolve(FILE);
        if (!Files.exists(file)) {
            return java.util.Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            JsonNode c = root.path("contracts");
            return java.util.Optional.of(new Deployment(root.path("chainId").asLong(),
                    Address.parse(root.path("deployer").asText()), Address.parse(c.path("OpenToken").asText()),
                    Address.parse(c.path("StakingVault").asText()), Address.parse(c.path("DatanetRegistry").asText()),
                    Address.parse(c.path("ModelRegistry").asText()),
                    Address.parse(c.path("RewardDistributor").asText()),
                    Instant.parse(root.path("deployedAt").asText())));
        } catch (IOException | RuntimeException e) {
            throw new WalletException("The contract address file " + file + " is damaged (" + e.getMessage()
                    + "); delete it to deploy the contracts again", e);
        }
    }
}
