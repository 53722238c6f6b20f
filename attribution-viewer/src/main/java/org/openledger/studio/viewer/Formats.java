package org.openledger.studio.viewer;

import java.util.Locale;

/** How attribution values read on screen: shares as percentages, addresses shortened, row texts cut. */
public final class Formats {

    private Formats() {
    }

    public static String percent(double share) {
        return String.format(Locale.ROOT, share < 0.1 ? "%.1f%%" : "%.0f%%", share * 100);
    }

    /** {@code 0x1234…abcd} for an address, "—" for none. */
    public static String shortAddress(String address) {
        if (address == null || address.isBlank()) {
            return "—";
        }
        return address.length() <= 13 ? address : address.substring(0, 6) + "…" + address.substring(address.length() - 4);
    }

    /** At most {@code lines} lines of {@code text}, each at most {@code width} characters, "…" where cut. */
    public static String firstLines(String text, int lines, int width) {
        if (text == null) {
            return "";
        }
        String[] all = text.strip().split("\\R");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(lines, all.length); i++) {
            String line = all[i].length() > width ? all[i].substring(0, width - 1) + "…" : all[i];
            b.append(i == 0 ? "" : "\n").append(line);
        }
        if (all.length > lines) {
            b.append(" …");
        }
        return b.toString();
    }

    /** The first {@code words} words of {@code text}, "…" where cut. */
    public static String firstWords(String text, int words) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String[] all = text.strip().split("\\s+");
        return String.join(" ", java.util.Arrays.copyOf(all, Math.min(words, all.length)))
                + (all.length > words ? " …" : "");
    }
}
