package org.openledger.studio.daemon.attribution;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.wallet.Address;

class FeesTest {

    private static final Address OWNER = Address.parse("0x00000000000000000000000000000000000000a1");
    private static final Address PLATFORM = Address.parse("0x00000000000000000000000000000000000000b2");
    private static final String ALICE = "0x00000000000000000000000000000000000000c3";
    private static final String BOB = "0x00000000000000000000000000000000000000d4";
    private static final BigInteger OPEN = BigInteger.TEN.pow(18);

    private static AttributionRecord done(List<AttributionRecord.ContributorShare> shares) {
        return new AttributionRecord("attr-1", "attribution", "done", 0L, "m", "m", "x", List.of(), List.of(), shares,
                List.of(), 10, 1.0, 0.1, null);
    }

    private static BigInteger sum(AttributionRecord.Charge c) {
        BigInteger s = BigInteger.ZERO;
        for (AttributionRecord.Credit credit : c.credits()) {
            s = s.add(new BigInteger(credit.amountWei()));
        }
        return s;
    }

    @Test
    void theFeeFollowsOpenLedgersFormulaAndEveryWeiIsCredited() {
        Fees fees = new Fees(new Fees.Split(0.2, 0.3, 0.5), PLATFORM);
        // 0.01 OPEN / 1k in, 0.02 / 1k out, 0.001 platform
        Fees.Price p = new Fees.Price(OPEN.divide(BigInteger.valueOf(100)), OPEN.divide(BigInteger.valueOf(50)),
                OPEN.divide(BigInteger.valueOf(1000)), OWNER);
        AttributionRecord.Charge c = fees.charge(done(List.of(new AttributionRecord.ContributorShare(ALICE, 0.6),
                new AttributionRecord.ContributorShare(BOB, 0.3))), p, 250, 100);
        // 250/1000 * 0.01 + 100/1000 * 0.02 + 0.001 = 0.0025 + 0.002 + 0.001 = 0.0055 OPEN
        assertEquals(new BigInteger("5500000000000000"), new BigInteger(c.feeWei()));
        assertEquals(new BigInteger(c.feeWei()), sum(c), "platform + owner + contributors = fee, to the wei");
        BigInteger net = new BigInteger("4500000000000000");
        BigInteger contributors = net.subtract(new BigInteger("900000000000000")).subtract(
                new BigInteger("1350000000000000"));
        assertEquals(contributors.multiply(BigInteger.valueOf(6)).divide(BigInteger.TEN),
                amount(c, ALICE, "contributor"));
        assertEquals(contributors.multiply(BigInteger.valueOf(3)).divide(BigInteger.TEN),
                amount(c, BOB, "contributor"));
        assertEquals(OPEN.divide(BigInteger.valueOf(1000)), amount(c, PLATFORM.toString(), "platform"));
        assertTrue(c.note().contains("no stakers"), c.note());
        assertEquals(0.3, c.split().stakers(), 0.0, "the split it was charged with is kept with the charge");
        assertTrue(c.note().contains("without a credited contributor"), c.note());
    }

    @Test
    void aFailedAttributionIsChargedButCreditsTheOwnerOnly() {
        Fees fees = new Fees(Fees.Split.DEFAULT, null);
        Fees.Price p = new Fees.Price(OPEN, OPEN, BigInteger.ZERO, OWNER);
        AttributionRecord failed = new AttributionRecord("attr-2", "attribution", "failed", 0L, "m", "m", "x",
                List.of(), List.of(), List.of(), List.of(), null, null, null, "queue full");
        AttributionRecord.Charge c = fees.charge(failed, p, 1000, 1000);
        assertEquals(OPEN.shiftLeft(1), new BigInteger(c.feeWei()));
        assertEquals(1, c.credits().size());
        assertEquals("owner", c.credits().get(0).role());
        assertEquals(OPEN.shiftLeft(1), sum(c));
        assertTrue(c.note().contains("attribution failed"), c.note());
    }

    @Test
    void aSplitThatDoesNotSumToOneIsRefusedSayingSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Fees.Split(0.5, 0.5, 0.5));
        assertTrue(e.getMessage().contains("sum to 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Fees.Split(-0.1, 0.6, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new Fees.Split(Double.NaN, 0.5, 0.5));
    }

    private static BigInteger amount(AttributionRecord.Charge c, String account, String role) {
        return c.credits().stream().filter(x -> x.account().equalsIgnoreCase(account) && x.role().equals(role))
                .map(x -> new BigInteger(x.amountWei())).findFirst().orElseThrow();
    }
}
