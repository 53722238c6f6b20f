package org.openledger.studio.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Bip32ECKeyPair;

/** BIP32 published vectors (bitcoin/bips bip-0032) and the BIP44 Ethereum path against well-known addresses. */
class HdPathTest {

    private static final int H = HdPath.HARDENED;

    @Test
    void bip32Vector1() {
        byte[] seed = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
        Bip32ECKeyPair m = Bip32ECKeyPair.generateKeyPair(seed);
        assertEquals("xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi", xprv(m));
        assertEquals("xprv9uHRZZhk6KAJC1avXpDAp4MDc3sQKNxDiPvvkX8Br5ngLNv1TxvUxt4cV1rGL5hj6KCesnDYUhd7oWgT11eZG7XnxHrnYeSvkzY7d2bhkJ7",
                xprv(Bip32ECKeyPair.deriveKeyPair(m, new int[] {H})));
        assertEquals("xprv9z4pot5VBttmtdRTWfWQmoH1taj2axGVzFqSb8C9xaxKymcFzXBDptWmT7FwuEzG3ryjH4ktypQSAewRiNMjANTtpgP4mLTj34bhnZX7UiM",
                xprv(Bip32ECKeyPair.deriveKeyPair(m, new int[] {H, 1, 2 | H})));
        assertEquals("xprvA41z7zogVVwxVSgdKUHDy1SKmdb533PjDz7J6N6mV6uS3ze1ai8FHa8kmHScGpWmj4WggLyQjgPie1rFSruoUihUZREPSL39UNdE3BBDu76",
                xprv(Bip32ECKeyPair.deriveKeyPair(m, new int[] {H, 1, 2 | H, 2, 1000000000})));
    }

    @Test
    void bip32Vector2() {
        byte[] seed = HexFormat.of().parseHex("fffcf9f6f3f0edeae7e4e1dedbd8d5d2cfccc9c6c3c0bdbab7b4b1aeaba8a5a29f9c999693908d8a8784817e7b7875726f6c696663605d5a5754514e4b484542");
        Bip32ECKeyPair m = Bip32ECKeyPair.generateKeyPair(seed);
        assertEquals("xprv9s21ZrQH143K31xYSDQpPDxsXRTUcvj2iNHm5NUtrGiGG5e2DtALGdso3pGz6ssrdK4PFmM8NSpSBHNqPqm55Qn3LqFtT2emdEXVYsCzC2U", xprv(m));
        assertEquals("xprvA2nrNbFZABcdryreWet9Ea4LvTJcGsqrMzxHx98MMrotbir7yrKCEXw7nadnHM8Dq38EGfSh6dqA9QWTyefMLEcBYJUuekgW4BYPJcr9E7j",
                xprv(Bip32ECKeyPair.deriveKeyPair(m, new int[] {0, 2147483647 | H, 1, 2147483646 | H, 2})));
    }

    @Test
    void ethereumPathMatchesFoundryAndMetaMask() {
        try (Mnemonic m = Mnemonic.parse(Secret.of("test test test test test test test test test test test junk".toCharArray()))) {
            byte[] seed = m.seed(null);
            // anvil's and hardhat's default accounts 0, 1, 2
            assertEquals("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", HdPath.ethereum(0).derive(seed).address().toString());
            assertEquals("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", HdPath.ethereum(1).derive(seed).address().toString());
            assertEquals("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", HdPath.ethereum(2).derive(seed).address().toString());
        }
        assertEquals("m/44'/60'/0'/0/7", HdPath.ethereum(7).toString());
        assertEquals(7, HdPath.ethereum(7).index());
    }

    /** BIP32 serialisation of an extended private key (mainnet version bytes), Base58Check. */
    private static String xprv(Bip32ECKeyPair k) {
        ByteBuffer b = ByteBuffer.allocate(78);
        b.putInt(0x0488ADE4);
        b.put((byte) k.getDepth());
        b.putInt(k.getParentFingerprint());
        b.putInt(k.getChildNumber());
        b.put(k.getChainCode());
        b.put(k.getPrivateKeyBytes33());
        return base58Check(b.array());
    }

    private static String base58Check(byte[] payload) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] check = sha.digest(sha.digest(payload));
            byte[] all = new byte[payload.length + 4];
            System.arraycopy(payload, 0, all, 0, payload.length);
            System.arraycopy(check, 0, all, payload.length, 4);
            String alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
            BigInteger n = new BigInteger(1, all);
            StringBuilder sb = new StringBuilder();
            BigInteger base = BigInteger.valueOf(58);
            while (n.signum() > 0) {
                BigInteger[] qr = n.divideAndRemainder(base);
                sb.append(alphabet.charAt(qr[1].intValue()));
                n = qr[0];
            }
            for (int i = 0; i < all.length && all[i] == 0; i++) {
                sb.append('1');
            }
            return sb.reverse().toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
