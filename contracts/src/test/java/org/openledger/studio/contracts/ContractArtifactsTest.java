package org.openledger.studio.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openledger.studio.contracts.generated.OpenToken;
import org.openledger.studio.contracts.generated.RewardDistributor;

/** The build's Solidity output: every contract compiled, bindings made from the same bytecode. */
class ContractArtifactsTest {

    @Test
    void everyContractHasItsAbiAndBytecode() throws Exception {
        for (String name : ContractArtifacts.NAMES) {
            JsonNode abi = new ObjectMapper().readTree(ContractArtifacts.abi(name));
            assertTrue(abi.isArray() && abi.size() > 0, name);
            assertTrue(ContractArtifacts.bytecode(name).matches("[0-9a-f]{200,}"), name);
        }
        assertEquals(OpenToken.BINARY, ContractArtifacts.bytecode("OpenToken"));
        assertEquals(RewardDistributor.BINARY, ContractArtifacts.bytecode("RewardDistributor"));
    }

    @Test
    void theTokenHasPermitAndTheContractsDeclareTheirErrors() throws Exception {
        Set<String> functions = new HashSet<>();
        for (JsonNode e : new ObjectMapper().readTree(ContractArtifacts.abi("OpenToken"))) {
            functions.add(e.path("type").asText() + ":" + e.path("name").asText());
        }
        assertTrue(functions.containsAll(Set.of("function:permit", "function:nonces", "function:DOMAIN_SEPARATOR",
                "function:mint", "error:ERC20InsufficientBalance")), functions.toString());
        assertTrue(ContractArtifacts.abi("StakingVault").contains("\"CooldownNotOver\""));
        assertTrue(ContractArtifacts.abi("RewardDistributor").contains("\"NothingToClaim\""));
    }
}
