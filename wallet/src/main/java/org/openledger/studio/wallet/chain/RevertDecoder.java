package org.openledger.studio.wallet.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;

/**
 * Turns revert data into words: {@code Error(string)} (require messages), {@code Panic(uint256)} (assert, overflow,
 * division by zero...) and the custom errors declared in the contracts' ABIs (OpenZeppelin 5 reverts with those, e.g.
 * {@code ERC20InsufficientBalance(address,uint256,uint256)}).
 */
public final class RevertDecoder {

    private static final String ERROR_STRING = "08c379a0";
    private static final String PANIC = "4e487b71";
    private static final Map<Integer, String> PANICS = Map.of(0x01, "assertion failed", 0x11,
            "arithmetic overflow or underflow", 0x12, "division by zero", 0x21, "invalid enum value", 0x22,
            "invalid storage byte array", 0x31, "pop on an empty array", 0x32, "array index out of bounds", 0x41,
            "out of memory", 0x51, "call to an uninitialised function");

    private record CustomError(String name, List<String> types) {
    }

    private final Map<String, CustomError> errors = new HashMap<>();

    /** A decoder that knows only the built-in {@code Error(string)} and {@code Panic(uint256)}. */
    public RevertDecoder() {
    }

    /** Adds the {@code error} entries of a contract ABI (JSON array); returns this for chaining. */
    public RevertDecoder withAbi(String abiJson) {
        try {
            for (JsonNode entry : new ObjectMapper().readTree(abiJson)) {
                if (!"error".equals(entry.path("type").asText())) {
                    continue;
                }
                List<String> types = new ArrayList<>();
                for (JsonNode input : entry.path("inputs")) {
                    types.add(input.path("type").asText());
                }
                String signature = entry.path("name").asText() + "(" + String.join(",", types) + ")";
                String selector = HexFormat.of().formatHex(Hash.sha3(signature.getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII))).substring(0, 8);
                errors.put(selector, new CustomError(entry.path("name").asText(), types));
            }
            return this;
        } catch (IOException e) {
            throw new IllegalArgumentException("Not a contract ABI: " + e.getMessage(), e);
        }
    }

    /**
     * A readable reason for {@code revertData} ({@code 0x}-prefixed hex, as nodes return it): e.g.
     * {@code "StakingVault: cooldown"}, {@code "panic: arithmetic overflow or underflow"},
     * {@code "CooldownNotOver(1700000000)"}; or the raw hex with "unknown error" when nothing matches.
     */
    public String decode(String revertData) {
        if (revertData == null || revertData.length() < 10) {
            return "reverted without a reason";
        }
        String hex = revertData.startsWith("0x") ? revertData.substring(2) : revertData;
        String selector = hex.substring(0, 8).toLowerCase();
        String args = "0x" + hex.substring(8);
        try {
            if (selector.equals(ERROR_STRING)) {
                return String.valueOf(decodeArgs(args, List.of("string")).get(0).getValue());
            }
            if (selector.equals(PANIC)) {
                BigInteger code = (BigInteger) decodeArgs(args, List.of("uint256")).get(0).getValue();
                return "panic: " + PANICS.getOrDefault(code.intValue(), "code 0x" + code.toString(16));
            }
            CustomError custom = errors.get(selector);
            if (custom != null) {
                List<Type> values = decodeArgs(args, custom.types());
                List<String> shown = new ArrayList<>();
                for (Type v : values) {
                    Object value = v.getValue();
                    shown.add(value instanceof byte[] b ? "0x" + HexFormat.of().formatHex(b) : String.valueOf(value));
                }
                return custom.name() + "(" + String.join(", ", shown) + ")";
            }
        } catch (RuntimeException | ClassNotFoundException e) {
            return "undecodable revert data 0x" + hex;
        }
        return "unknown error 0x" + hex;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static List<Type> decodeArgs(String data, List<String> types) throws ClassNotFoundException {
        List<TypeReference<Type>> refs = new ArrayList<>();
        for (String t : types) {
            refs.add((TypeReference) TypeReference.makeTypeReference(t));
        }
        return FunctionReturnDecoder.decode(data, (List) refs);
    }
}
