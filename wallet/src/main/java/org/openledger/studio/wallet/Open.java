package org.openledger.studio.wallet;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An amount of OPEN, held exactly in wei (10^-18 OPEN). Parsing and formatting between OPEN's decimal text and
 * wei live here, with their rounding (none: more than 18 decimals is refused) and their error messages.
 */
public record Open(BigInteger wei) implements Comparable<Open> {

    public static final int DECIMALS = 18;
    public static final Open ZERO = new Open(BigInteger.ZERO);

    public Open {
        if (wei == null || wei.signum() < 0) {
            throw new IllegalArgumentException("an amount of OPEN cannot be negative: " + wei);
        }
    }

    public static Open ofWei(BigInteger wei) {
        return new Open(wei);
    }

    /**
     * Parses decimal OPEN ("12.5", "0.000000000000000001").
     *
     * @throws InvalidAmountException saying what is wrong with the text, for a user to read
     */
    public static Open parse(String text) throws InvalidAmountException {
        if (text == null || text.isBlank()) {
            throw new InvalidAmountException("an amount of OPEN is required");
        }
        BigDecimal d;
        try {
            d = new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidAmountException("'" + text.strip() + "' is not a number of OPEN");
        }
        if (d.signum() < 0) {
            throw new InvalidAmountException("an amount of OPEN cannot be negative, got " + text.strip());
        }
        try {
            return new Open(d.movePointRight(DECIMALS).toBigIntegerExact());
        } catch (ArithmeticException e) {
            throw new InvalidAmountException("OPEN has at most " + DECIMALS + " decimals, got " + text.strip());
        }
    }

    /** Plain decimal OPEN without trailing zeros ("12.5", "0"). */
    public String toOpenString() {
        return new BigDecimal(wei).movePointLeft(DECIMALS).stripTrailingZeros().toPlainString();
    }

    /** Decimal OPEN with at most {@code decimals} decimals, rounded down (balances show 4). */
    public String toOpenString(int decimals) {
        return new BigDecimal(wei).movePointLeft(DECIMALS).setScale(decimals, java.math.RoundingMode.DOWN)
                .stripTrailingZeros().toPlainString();
    }

    public boolean isZero() {
        return wei.signum() == 0;
    }

    public Open plus(Open o) {
        return new Open(wei.add(o.wei));
    }

    @Override
    public int compareTo(Open o) {
        return wei.compareTo(o.wei);
    }

    @Override
    public String toString() {
        return toOpenString() + " OPEN";
    }

    /** Text that is not an amount of OPEN. */
    public static final class InvalidAmountException extends Exception {
        public InvalidAmountException(String message) {
            super(message);
        }
    }
}
