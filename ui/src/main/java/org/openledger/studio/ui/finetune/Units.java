package org.openledger.studio.ui.finetune;

import java.util.Locale;

/** Numbers as the Fine-tune view writes them: durations, bytes, counts, losses. */
final class Units {

    private Units() {
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "—";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = b;
        int i = -1;
        while (v >= 1024 && i < units.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String loss(Double loss) {
        return loss == null || !Double.isFinite(loss) ? "—" : String.format(Locale.ROOT, "%.4f", loss);
    }

    /** A loss with its perplexity, e^loss. */
    static String lossAndPerplexity(Double loss, Double perplexity) {
        if (loss == null || !Double.isFinite(loss)) {
            return "—";
        }
        double ppl = perplexity != null ? perplexity : Math.exp(loss);
        return String.format(Locale.ROOT, "%.4f (perplexity %.2f)", loss, ppl);
    }

    static String rate(Double tokensPerSecond) {
        return tokensPerSecond == null ? "—" : String.format(Locale.ROOT, "%,.0f tokens/s", tokensPerSecond);
    }
}
