package org.openledger.studio.wallet.review;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openledger.studio.wallet.Address;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Type;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Decodes call data of known contracts (address -> name + ABI) so the review dialog shows {@code stake(kind=0,
 * target=0x..., amount=100000000000000000000)} instead of hex.
 */
public final class CallDecoder {

    private record Function(String name, List<String> names, List<String> types) {
    }

    private final Map<Address, String> names = new HashMap<>();
    private final Map<Address, Map<String, Function>> functions = new HashMap<>();

    /** Registers a contract; returns this for chaining. */
    public CallDecoder withContract(Address address, String name, String abiJson) {
        Map<String, Function> bySelector = new HashMap<>();
        try {
            for (JsonNode entry : new ObjectMapper().readTree(abiJson)) {
                if (!"function".equals(entry.path("type").asText())) {
                    continue;
                }
                List<String> argNames = new ArrayList<>();
                List<String> types = new ArrayList<>();
                for (JsonNode input : entry.path("inputs")) {
                    argNames.add(input.path("name").asText(""));
                    types.add(input.path("type").asText());
                }
                String signature = entry.path("name").asText() + "(" + String.join(",", types) + ")";
                String selector = HexFormat.of().formatHex(Hash.sha3(signature.getBytes(StandardCharsets.US_ASCII)),
                        0, 4);
                bySelector.put(selector, new Function(entry.path("name").asText(), argNames, types));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("Not a contract ABI for " + name + ": " + e.getMessage(), e);
        }
        names.put(address, name);
        functions.put(address, bySelector);
        return this;
    }

    /** The name of a registered contract. */
    public Optional<String> contractName(Address address) {
        return Optional.ofNullable(names.get(address));
    }

    /** The decoded call, when {@code to} is a registered contract and the selector is one of its functions. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Optional<DecodedCall> decode(Address to, byte[] data) {
        if (to == null || data.length < 4 || !functions.containsKey(to)) {
            return Optional.empty();
        }
        Function f = functions.get(to).get(HexFormat.of().formatHex(data, 0, 4));
        if (f == null) {
            return Optional.empty();
        }
        try {
            List<TypeReference<Type>> refs = new ArrayList<>();
            for (String t : f.types()) {
                refs.add((TypeReference) TypeReference.makeTypeReference(t));
            }
            List<Type> values = FunctionReturnDecoder.decode(Numeric.toHexString(data, 4, data.length - 4, true),
                    (List) refs);
            if (values.size() != f.types().size()) {
                return Optional.empty();
            }
            List<DecodedCall.Argument> args = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                args.add(new DecodedCall.Argument(f.names().get(i), f.types().get(i), show(values.get(i))));
            }
            return Optional.of(new DecodedCall(names.get(to), f.name(), args));
        } catch (ClassNotFoundException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String show(Object value) {
        if (value instanceof Type<?> t) {
            return show(t.getValue());
        }
        if (value instanceof byte[] b) {
            return "0x" + HexFormat.of().formatHex(b);
        }
        if (value instanceof String s && s.matches("0x[0-9a-fA-F]{40}")) {
            return Address.parse(s).toString();
        }
        if (value instanceof List<?> list) {
            List<String> shown = new ArrayList<>();
            list.forEach(v -> shown.add(show(v)));
            return "[" + String.join(", ", shown) + "]";
        }
        return String.valueOf(value);
    }
}
