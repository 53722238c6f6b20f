package org.openledger.studio.attribution.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.openledger.studio.finetune.stories.StoryWriter;

/**
 * The seeded rows the influence benchmark trains on and asks about: ordinary English rows (sentences of
 * {@link StoryWriter}'s stories, the bundled model's own kind of text), planted "secret code" facts unlike any
 * ordinary row, and town facts stated in several phrasings for the linear datamodeling score.
 */
final class BenchData {

    /** A text row, and for a fact the cut between the part read as a prompt and the part answered. */
    record Row(String text, int cut) {
        String prompt() {
            return text.substring(0, cut);
        }

        String answer() {
            return text.substring(cut);
        }
    }

    private static final String[] VAULT_A = {"amber", "cobalt", "saffron", "obsidian", "vermilion", "ivory",
        "copper", "jade", "onyx", "scarlet", "silver", "umber", "violet", "crimson", "azure", "bronze", "coral",
        "emerald", "frosted", "gilded", "hollow", "iron", "lunar", "marble", "northern", "opal", "pewter", "quartz",
        "ruby", "sunken", "tidal", "velvet"};
    private static final String[] VAULT_B = {"falcon", "lantern", "quarry", "harbor", "orchid", "glacier",
        "meadow", "compass", "anvil", "beacon", "citadel", "dune", "ember", "fjord", "grotto", "heron", "island",
        "juniper", "kestrel", "lagoon", "monsoon", "nebula", "oracle", "pinnacle", "quiver", "raven", "spire",
        "thicket", "urchin", "willow"};
    private static final String[] SECRET = {"lime", "drum", "seven", "pebble", "tiger", "moon", "ninety", "kettle",
        "zebra", "copper", "violin", "maple", "rocket", "salt", "thunder", "walnut", "yellow", "anchor", "banjo",
        "cactus", "dolphin", "eleven", "feather", "garlic", "hammer", "igloo", "jelly", "koala", "lemon", "mango",
        "nickel", "otter", "pepper", "quill", "radish", "saddle", "tulip", "umbrella", "vapor", "wagon", "yarn",
        "zipper", "acorn", "button", "candle", "dragon", "engine", "fossil"};

    private static final String[] SYLLABLES = {"ba", "ko", "ri", "sel", "tam", "ve", "lo", "dar", "mi", "quen",
        "su", "tor", "al", "bri", "cas", "den", "fen", "gar", "hol", "ist", "kar", "len", "mor", "nal", "os", "pel",
        "rav", "sten", "ul", "wyn"};
    /** Per relation: the phrasings (the value follows the prompt), and the values. */
    private static final String[][] PHRASINGS = {
        {"The town of %s is known for its", "People say that %s is famous for its", "Travellers come to %s for its",
            "Everyone in %s is proud of its"},
        {"In %s every door is painted", "The houses of %s are painted", "The flag of %s is",
            "The old bridge in %s is painted"},
        {"The mayor of %s is a woman called", "The town of %s is run by a mayor called",
            "Each spring the people of %s elect", "In %s the oldest baker is called"},
    };
    private static final String[][] VALUES = {
        {"apples", "bells", "bridges", "cheese", "horses", "lanterns", "boats", "clocks", "gardens", "owls", "kites",
            "honey"},
        {"red", "blue", "green", "yellow", "white", "black", "purple", "orange", "grey", "brown", "pink", "gold"},
        {"Anna", "Mira", "Lena", "Tess", "Clara", "Ruth", "Nora", "Ida", "Vera", "Elsa", "Maud", "Greta"},
    };

    private BenchData() {
    }

    /** {@code n} rows of one to three consecutive story sentences, each at most {@code maxChars} long. */
    static List<Row> ordinary(int n, long seed, int maxChars) {
        StoryWriter writer = new StoryWriter(seed);
        List<Row> out = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x0D1AL);
        while (out.size() < n) {
            String[] sentences = writer.document().replace('\n', ' ').split("(?<=[.!?\"])\\s+");
            int i = 0;
            while (i < sentences.length && out.size() < n) {
                int take = 1 + rnd.nextInt(3);
                StringBuilder b = new StringBuilder();
                for (int j = 0; j < take && i < sentences.length; j++, i++) {
                    String s = sentences[i].trim();
                    if (b.length() + s.length() + 1 > maxChars) {
                        break;
                    }
                    if (b.length() > 0) {
                        b.append(' ');
                    }
                    b.append(s);
                }
                if (b.length() >= 20) {
                    out.add(new Row(b.toString(), -1));
                } else {
                    i++;
                }
            }
        }
        return out;
    }

    /** {@code n} unique facts "The secret code of the A B vault is w1 w2 w3 w4." (prompt: up to "is"). */
    static List<Row> plantedFacts(int n, long seed) {
        if (n > VAULT_A.length * VAULT_B.length) {
            throw new IllegalArgumentException("at most " + VAULT_A.length * VAULT_B.length + " planted facts");
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ 0xFAC7L);
        Set<String> vaults = new HashSet<>();
        Set<String> secrets = new HashSet<>();
        List<Row> out = new ArrayList<>();
        while (out.size() < n) {
            String vault = VAULT_A[rnd.nextInt(VAULT_A.length)] + " " + VAULT_B[rnd.nextInt(VAULT_B.length)];
            String secret = SECRET[rnd.nextInt(SECRET.length)] + " " + SECRET[rnd.nextInt(SECRET.length)] + " "
                    + SECRET[rnd.nextInt(SECRET.length)] + " " + SECRET[rnd.nextInt(SECRET.length)];
            if (!vaults.add(vault) || !secrets.add(secret)) {
                continue;
            }
            String prompt = "The secret code of the " + vault + " vault is";
            out.add(new Row(prompt + " " + secret + ".", prompt.length()));
        }
        return out;
    }

    /** Town facts for the linear datamodeling score: training rows and held-out test rows. */
    record TownFacts(List<Row> train, List<Row> test) {
    }

    /**
     * {@code factRows / phrasingsPerFact} facts (a town's value of one relation), each stated in
     * {@code phrasingsPerFact} of its relation's phrasings as training rows, mixed with {@code ordinaryRows}
     * ordinary rows; {@code tests} facts (distinct) asked once more in a phrasing drawn like the training ones.
     */
    static TownFacts townFacts(int factRows, int phrasingsPerFact, int ordinaryRows, int tests, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x70E1L);
        int facts = factRows / phrasingsPerFact;
        if (tests > facts) {
            throw new IllegalArgumentException(tests + " test facts but only " + facts + " facts");
        }
        List<Row> train = new ArrayList<>();
        List<Row> test = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> keys = new HashSet<>();
        List<String> towns = new ArrayList<>();
        while (keys.size() < facts) {
            String town;
            if (towns.isEmpty() || rnd.nextInt(3) == 0) {
                do {
                    town = name(rnd);
                } while (!names.add(town));
                towns.add(town);
            } else {
                town = towns.get(rnd.nextInt(towns.size()));
            }
            int relation = rnd.nextInt(PHRASINGS.length);
            if (!keys.add(town + "/" + relation)) {
                continue;
            }
            String value = VALUES[relation][rnd.nextInt(VALUES[relation].length)];
            for (int p = 0; p < phrasingsPerFact; p++) {
                train.add(fact(PHRASINGS[relation][rnd.nextInt(PHRASINGS[relation].length)], town, value));
            }
            if (test.size() < tests) {
                test.add(fact(PHRASINGS[relation][rnd.nextInt(PHRASINGS[relation].length)], town, value));
            }
        }
        train.addAll(ordinary(ordinaryRows, seed + 17, 200));
        shuffle(train, rnd);
        return new TownFacts(train, test);
    }

    private static Row fact(String phrasing, String town, String value) {
        String prompt = String.format(phrasing, town);
        return new Row(prompt + " " + value + ".", prompt.length());
    }

    private static String name(SplittableRandom rnd) {
        StringBuilder b = new StringBuilder();
        int n = 2 + rnd.nextInt(2);
        for (int i = 0; i < n; i++) {
            b.append(SYLLABLES[rnd.nextInt(SYLLABLES.length)]);
        }
        b.setCharAt(0, Character.toUpperCase(b.charAt(0)));
        return b.toString();
    }

    static <T> void shuffle(List<T> list, SplittableRandom rnd) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            T t = list.get(i);
            list.set(i, list.get(j));
            list.set(j, t);
        }
    }
}
