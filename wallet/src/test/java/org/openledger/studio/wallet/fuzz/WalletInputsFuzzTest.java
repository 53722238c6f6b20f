package org.openledger.studio.wallet.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.openledger.studio.fuzz.Campaign;
import org.openledger.studio.fuzz.FuzzTarget;
import org.openledger.studio.fuzz.FuzzTarget.Format;
import org.openledger.studio.wallet.Keystore;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.ScryptParams;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.WalletException;
import org.openledger.studio.wallet.signing.InvalidTypedDataException;
import org.openledger.studio.wallet.signing.TypedData;

/**
 * Fuzzing of what a wallet reads from files and dapps: keystore v3 JSON (with and without the right password) and
 * EIP-712 typed data. Short seeded runs here (decision 0022); {@code scripts/fuzz.sh HOURS} runs them for long.
 */
class WalletInputsFuzzTest {

    static final Path REGRESSIONS = Path.of("src/test/resources/fuzz");
    private static final String KEY = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    private static void check(FuzzTarget target) throws IOException {
        Campaign.Report report = Campaign.fromSystemProperties().run(target, REGRESSIONS);
        assertTrue(report.findings().isEmpty(), () -> report + ": " + report.findings());
    }

    static FuzzTarget keystore() {
        // a cheap scrypt in the seed; mutants may ask for any cost, which the parser must bound
        Keystore light = new Keystore(new ScryptParams(4, 8, 1), new SecureRandom());
        String seed;
        try (PrivateKey key = PrivateKey.parseHex(Secret.of(KEY.toCharArray())); Secret pw = Secret.of("pw".toCharArray())) {
            seed = light.encrypt(key, pw);
        }
        return FuzzTarget.of("keystore", Format.JSON, List.of(seed.getBytes(StandardCharsets.UTF_8)), input -> {
            String json = new String(input, StandardCharsets.UTF_8);
            try {
                Keystore.declaredAddress(json);
            } catch (WalletException refused) {
                // documented; the decryption below still runs
            }
            for (String password : List.of("pw", "wrong")) {
                try (Secret pw = Secret.of(password.toCharArray()); PrivateKey k = light.decrypt(json, pw)) {
                    k.address();
                }
            }
        }, Set.of(WalletException.class));
    }

    @Test
    void keystoreJson() throws IOException {
        check(keystore());
    }

    static final String MAIL = "{\"types\":{\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":"
            + "\"version\",\"type\":\"string\"},{\"name\":\"chainId\",\"type\":\"uint256\"},{\"name\":"
            + "\"verifyingContract\",\"type\":\"address\"}],\"Person\":[{\"name\":\"name\",\"type\":\"string\"},"
            + "{\"name\":\"wallet\",\"type\":\"address\"}],\"Mail\":[{\"name\":\"from\",\"type\":\"Person\"},{\"name\":"
            + "\"to\",\"type\":\"Person[]\"},{\"name\":\"contents\",\"type\":\"string\"},{\"name\":\"tags\",\"type\":"
            + "\"bytes32[2]\"},{\"name\":\"amount\",\"type\":\"uint96\"},{\"name\":\"flag\",\"type\":\"bool\"},"
            + "{\"name\":\"blob\",\"type\":\"bytes\"},{\"name\":\"delta\",\"type\":\"int8\"}]},\"primaryType\":\"Mail\","
            + "\"domain\":{\"name\":\"Ether Mail\",\"version\":\"1\",\"chainId\":31337,\"verifyingContract\":"
            + "\"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC\"},\"message\":{\"from\":{\"name\":\"Cow\",\"wallet\":"
            + "\"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826\"},\"to\":[{\"name\":\"Bob\",\"wallet\":"
            + "\"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB\"}],\"contents\":\"Hello, Bob!\",\"tags\":[\"0x"
            + "0000000000000000000000000000000000000000000000000000000000000001\",\"0x"
            + "0000000000000000000000000000000000000000000000000000000000000002\"],\"amount\":\"1000000000000000000\","
            + "\"flag\":true,\"blob\":\"0xdeadbeef\",\"delta\":-5}}";

    static FuzzTarget typedData() {
        return FuzzTarget.of("eip712", Format.JSON, List.of(MAIL.getBytes(StandardCharsets.UTF_8)), input -> {
            TypedData t = TypedData.parse(new String(input, StandardCharsets.UTF_8));
            t.digest();
            t.primaryType();
            t.describe();
        }, Set.of(InvalidTypedDataException.class));
    }

    @Test
    void eip712TypedData() throws IOException {
        check(typedData());
    }
}
