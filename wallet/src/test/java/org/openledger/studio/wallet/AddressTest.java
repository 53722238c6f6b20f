package org.openledger.studio.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** EIP-55 with the vectors printed in the EIP. */
class AddressTest {

    @Test
    void eip55Vectors() {
        for (String a : new String[] {
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"}) {
            assertEquals(a, Address.parse(a.toLowerCase()).toString());
            assertEquals(a, Address.parse(a).toString());
            assertEquals(a, Address.parse("0x" + a.substring(2).toUpperCase()).toString());
        }
    }

    @Test
    void typosAreCaught() {
        InvalidAddressException e = assertThrows(InvalidAddressException.class,
                () -> Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertThrows(InvalidAddressException.class, () -> Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA"));
        assertThrows(InvalidAddressException.class, () -> Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg"));
        assertThrows(InvalidAddressException.class, () -> Address.parse(null));
    }

    @Test
    void privateKeysKnowTheirAddressAndHideThemselves() {
        try (Secret hex = Secret.of("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80".toCharArray());
             PrivateKey key = PrivateKey.parseHex(hex)) {
            assertEquals("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", key.address().toString());
            assertEquals("PrivateKey[0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266]", key.toString());
        }
        assertThrows(InvalidPrivateKeyException.class, () -> PrivateKey.of(new byte[32]));
        assertThrows(InvalidPrivateKeyException.class, () -> PrivateKey.parseHex(Secret.of("12zz".toCharArray())));
    }
}
