package org.openledger.studio.wallet.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.Cast;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.Secret;

/** Our signatures, byte for byte against foundry's cast 1.7.1. */
class CastCrossCheckTest {

    private static final String KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

    private final Cast cast = new Cast();
    private final TransactionSigner signer = new TransactionSigner();

    private static PrivateKey key() {
        return PrivateKey.parseHex(Secret.of(KEY.toCharArray()));
    }

    @Test
    void eip1559TransactionsAreByteIdenticalToCastMktx() {
        Address to = Address.parse("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
        List<TransactionRequest> cases = List.of(
                new TransactionRequest(31337, BigInteger.ZERO, to, BigInteger.ONE, new byte[0],
                        BigInteger.valueOf(21000), BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(1_000_000_000L)),
                new TransactionRequest(161201, BigInteger.valueOf(1234), to, new BigInteger("1000000000000000000000"),
                        HexFormat.of().parseHex("a9059cbb000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266"
                                + "0000000000000000000000000000000000000000000000000de0b6b3a7640000"),
                        BigInteger.valueOf(65_000), new BigInteger("300000000000"), BigInteger.ZERO),
                new TransactionRequest(1612, BigInteger.valueOf(70_000), to, BigInteger.ZERO, new byte[] {0},
                        BigInteger.valueOf(30_000_000), BigInteger.valueOf(7), BigInteger.valueOf(7)));
        try (PrivateKey k = key()) {
            for (TransactionRequest r : cases) {
                String ours = signer.sign(r, k).rawHex();
                String theirs = cast.run("mktx", "--private-key", KEY, "--chain", Long.toString(r.chainId()),
                        "--nonce", r.nonce().toString(), "--gas-limit", r.gasLimit().toString(),
                        "--gas-price", r.maxFeePerGas().toString(), "--priority-gas-price",
                        r.maxPriorityFeePerGas().toString(), "--value", r.value().toString(),
                        r.to().toString(), "0x" + HexFormat.of().formatHex(r.data()));
                assertEquals(theirs, ours, "chain " + r.chainId() + " nonce " + r.nonce());
            }
        }
    }

    @Test
    void deploymentsAreByteIdenticalToCastMktxCreate() {
        byte[] code = HexFormat.of().parseHex("6080604052348015600e575f80fd5b50603e80601a5f395ff3fe60806040525f80fd");
        TransactionRequest r = new TransactionRequest(31337, BigInteger.valueOf(3), null, BigInteger.ZERO, code,
                BigInteger.valueOf(200_000), BigInteger.valueOf(3_000_000_000L), BigInteger.valueOf(1_000_000_000L));
        try (PrivateKey k = key()) {
            SignedTransaction signed = signer.sign(r, k);
            String theirs = cast.run("mktx", "--private-key", KEY, "--chain", "31337", "--nonce", "3",
                    "--gas-limit", "200000", "--gas-price", "3000000000", "--priority-gas-price", "1000000000",
                    "--create", "0x" + HexFormat.of().formatHex(code));
            assertEquals(theirs, signed.rawHex());
            assertEquals(cast.run("keccak", theirs), signed.hash());
            assertEquals(k.address(), signed.from());
        }
    }

    @Test
    void eip712SignaturesAreByteIdenticalToCastWalletSign(@TempDir Path dir) throws Exception {
        String mail = """
                {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
                {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
                "Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],
                "Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]},
                "primaryType":"Mail","domain":{"name":"Ether Mail","version":"1","chainId":1,
                "verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
                "message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
                "to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},"contents":"Hello, Bob!"}}
                """;
        String permit = """
                {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
                {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
                "Permit":[{"name":"owner","type":"address"},{"name":"spender","type":"address"},
                {"name":"value","type":"uint256"},{"name":"nonce","type":"uint256"},{"name":"deadline","type":"uint256"}]},
                "primaryType":"Permit","domain":{"name":"OpenLedger","version":"1","chainId":31337,
                "verifyingContract":"0x5FbDB2315678afecb367f032d93F642f64180aa3"},
                "message":{"owner":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
                "spender":"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
                "value":"115792089237316195423570985008687907853269984665640564039457584007913129639935",
                "nonce":"0","deadline":"1900000000"}}
                """;
        TypedDataSigner typedSigner = new TypedDataSigner();
        try (PrivateKey k = key()) {
            for (String json : List.of(mail, permit)) {
                Path file = dir.resolve("typed-" + json.hashCode() + ".json");
                Files.writeString(file, json);
                String theirs = cast.run("wallet", "sign", "--private-key", KEY, "--data", "--from-file",
                        file.toString());
                TypedData data = TypedData.parse(json);
                assertEquals(theirs, typedSigner.sign(data, k).hex());
            }
        }
        // the Mail example's digest as printed in EIP-712 itself
        assertEquals("be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2",
                HexFormat.of().formatHex(TypedData.parse(mail).digest()));
        List<String> lines = TypedData.parse(permit).describe();
        assertTrue(lines.contains("type: Permit"), lines.toString());
        assertTrue(lines.contains("spender: 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"), lines.toString());
        assertTrue(lines.contains("domain.chainId: 31337"), lines.toString());
    }

    @Test
    void badRequestsAndTypedDataAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TransactionRequest(31337, BigInteger.ZERO, null,
                BigInteger.ZERO, null, BigInteger.valueOf(21000), BigInteger.ONE, BigInteger.TWO));
        assertThrows(IllegalArgumentException.class, () -> new TransactionRequest(0, BigInteger.ZERO, null,
                BigInteger.ZERO, null, BigInteger.valueOf(21000), BigInteger.ONE, BigInteger.ONE));
        assertThrows(IllegalArgumentException.class, () -> new TransactionRequest(1, BigInteger.ZERO, null,
                BigInteger.ZERO, null, BigInteger.valueOf(20999), BigInteger.ONE, BigInteger.ONE));
        assertThrows(InvalidTypedDataException.class, () -> TypedData.parse("{\"types\":{}}"));
    }
}
