package org.openledger.studio.datanet.check;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.web3j.crypto.MnemonicUtils;

/**
 * Finds secrets and personal data in a row: e-mail addresses, phone numbers, card numbers (Luhn-valid, known
 * issuer prefixes), IBANs (ISO 13616 mod-97), API keys of well-known services and {@code key = value} assignments,
 * PEM private keys, Ethereum private keys (64 hex digits in the secp256k1 range, not labelled as a hash) and BIP39
 * mnemonics (12-24 consecutive list words with a valid checksum). Cheap character tests gate each pattern, so rows
 * without an '@' never run the e-mail pattern.
 */
public final class SecretScanner {

    private static final Pattern EMAIL = Pattern.compile(
            "(?<![\\w.+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,24}(?![\\w-])");
    private static final Pattern PHONE = Pattern.compile(
            "(?<![\\w+])(?:\\+\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{1,4}(?:[ .-]?\\d{2,4}){1,4}"
                    + "|\\(\\d{3}\\) ?\\d{3}[ .-]\\d{4}|\\d{3}[.-]\\d{3}[.-]\\d{4})(?![\\w])");
    private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d])");
    private static final Pattern IBAN_PATTERN = Pattern.compile("(?<![A-Z0-9])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])");
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----");
    private static final Pattern HEX_KEY = Pattern.compile("(?<![0-9A-Za-z])(?:0x)?([0-9a-fA-F]{64})(?![0-9A-Za-z])");
    private static final Pattern HASH_CONTEXT = Pattern.compile(
            "(?i)(hash|tx|txid|transaction|sha|digest|root|commit|checksum|block)[^\\n]{0,20}$");
    private static final Pattern KNOWN_KEYS = Pattern.compile(
            "(?<name>(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])"
                    + "|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}"
                    + "|sk-(?:proj-|ant-[a-z0-9]{2,8}-)?[A-Za-z0-9_-]{20,}"
                    + "|xox[abposr]-[A-Za-z0-9-]{10,}"
                    + "|AIza[0-9A-Za-z_-]{35}"
                    + "|[sr]k_(?:live|test)_[0-9A-Za-z]{16,}"
                    + "|hf_[A-Za-z]{30,}"
                    + "|glpat-[A-Za-z0-9_-]{20,}"
                    + "|eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,})");
    private static final Pattern ASSIGNED_SECRET = Pattern.compile(
            "(?i)\\b(?:api[_-]?key|apikey|secret[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret|"
                    + "private[_-]?key|password|passwd)\\b[\"']?\\s*[:=]\\s*[\"']?([A-Za-z0-9_\\-/+=.]{12,})");
    private static final BigInteger SECP256K1_N =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    /** The BIP39 English words packed 5 bits per letter into longs, sorted: found without allocating a string. */
    private final long[] bip39 = packedWordList();

    private static long[] packedWordList() {
        List<String> words = MnemonicUtils.getWords();
        long[] packed = new long[words.size()];
        for (int i = 0; i < packed.length; i++) {
            packed[i] = pack(words.get(i), 0, words.get(i).length());
        }
        java.util.Arrays.sort(packed);
        return packed;
    }

    /** Letters a-z (either case) as 5-bit codes, or -1 for any other character. */
    private static long pack(CharSequence s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = Character.toLowerCase(s.charAt(i));
            if (c < 'a' || c > 'z') {
                return -1;
            }
            v = (v << 5) | (c - 'a' + 1);
        }
        return v;
    }

    public List<Finding> scan(String text) {
        List<Finding> out = new ArrayList<>(0);
        int digits = 0;
        boolean at = false;
        boolean dash5 = false;
        boolean assignment = false;
        int hexRun = 0;
        int longestHexRun = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '@') {
                at = true;
            } else if (c == '=' || c == ':') {
                assignment = true;
            } else if (c == '-' && !dash5 && text.startsWith("-----BEGIN", i)) {
                dash5 = true;
            }
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            hexRun = hex ? hexRun + 1 : 0;
            longestHexRun = Math.max(longestHexRun, hexRun);
        }
        if (at) {
            emails(text, out);
        }
        if (dash5) {
            pem(text, out);
        }
        if (digits >= 7) {
            phones(text, out);
        }
        if (digits >= 13) {
            cards(text, out);
        }
        if (digits >= 2 && text.length() >= 15) {
            ibans(text, out);
        }
        if (longestHexRun >= 64) {
            hexKeys(text, out);
        }
        if (text.length() >= 16 && hasKeyPrefix(text)) {
            knownKeys(text, out);
        }
        if (assignment && hasSecretWord(text)) {
            assignedSecrets(text, out);
        }
        mnemonics(text, out);
        return out;
    }

    private static void emails(String text, List<Finding> out) {
        Matcher m = EMAIL.matcher(text);
        while (m.find()) {
            String e = m.group();
            int at = e.indexOf('@');
            out.add(new Finding(FindingKind.EMAIL, m.start(), m.end(), e.charAt(0) + "***" + e.substring(at)));
        }
    }

    private static void pem(String text, List<Finding> out) {
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            out.add(new Finding(FindingKind.PEM_PRIVATE_KEY, m.start(), m.end(), m.group().replace("-", "").trim()));
        }
    }

    private static void phones(String text, List<Finding> out) {
        Matcher m = PHONE.matcher(text);
        while (m.find()) {
            String digits = m.group().replaceAll("\\D", "");
            if (digits.length() < 9 || digits.length() > 15 || overlaps(out, m.start(), m.end())) {
                continue;
            }
            out.add(new Finding(FindingKind.PHONE_NUMBER, m.start(), m.end(),
                    "phone number ending " + digits.substring(digits.length() - 2)));
        }
    }

    private static void cards(String text, List<Finding> out) {
        Matcher m = CARD.matcher(text);
        while (m.find()) {
            String digits = m.group().replaceAll("\\D", "");
            if (digits.length() < 13 || digits.length() > 19 || !luhn(digits) || !knownIssuer(digits)) {
                continue;
            }
            out.removeIf(f -> f.kind() == FindingKind.PHONE_NUMBER && f.start() < m.end() && m.start() < f.end());
            out.add(new Finding(FindingKind.CARD_NUMBER, m.start(), m.end(),
                    "card number ending " + digits.substring(digits.length() - 4)));
        }
    }

    /** The Luhn checksum (ISO/IEC 7812): doubling every second digit from the right, the sum ends in 0. */
    static boolean luhn(String digits) {
        int sum = 0;
        boolean twice = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    private static boolean knownIssuer(String d) {
        int two = Integer.parseInt(d.substring(0, 2));
        int four = Integer.parseInt(d.substring(0, 4));
        return d.charAt(0) == '4' // Visa
                || (two >= 51 && two <= 55) || (four >= 2221 && four <= 2720) // Mastercard
                || two == 34 || two == 37 // American Express
                || d.startsWith("6011") || two == 65 || (four >= 6440 && four <= 6499) // Discover
                || two == 35 || two == 36 || two == 38 || two == 30 // JCB, Diners
                || two == 62; // UnionPay
    }

    private static void ibans(String text, List<Finding> out) {
        Matcher m = IBAN_PATTERN.matcher(text);
        while (m.find()) {
            String iban = m.group().replace(" ", "");
            if (iban.length() < 15 || iban.length() > 34 || !ibanChecksum(iban)) {
                continue;
            }
            out.removeIf(f -> f.kind() == FindingKind.PHONE_NUMBER && f.start() < m.end() && m.start() < f.end());
            out.add(new Finding(FindingKind.IBAN, m.start(), m.end(),
                    "IBAN " + iban.substring(0, 2) + "… ending " + iban.substring(iban.length() - 4)));
        }
    }

    /** ISO 13616: move the first four characters to the end, letters to 10..35; the number mod 97 is 1. */
    static boolean ibanChecksum(String iban) {
        String moved = iban.substring(4) + iban.substring(0, 4);
        int rest = 0;
        for (int i = 0; i < moved.length(); i++) {
            char c = moved.charAt(i);
            int v = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
            rest = v > 9 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97;
        }
        return rest == 1;
    }

    private static void hexKeys(String text, List<Finding> out) {
        Matcher m = HEX_KEY.matcher(text);
        while (m.find()) {
            BigInteger k = new BigInteger(m.group(1), 16);
            if (k.signum() == 0 || k.compareTo(SECP256K1_N) >= 0) {
                continue;
            }
            if (HASH_CONTEXT.matcher(text.substring(Math.max(0, m.start() - 40), m.start())).find()) {
                continue; // "tx hash: 0x…" — a hash, not a key
            }
            out.add(new Finding(FindingKind.ETHEREUM_PRIVATE_KEY, m.start(), m.end(),
                    "64 hex digits starting " + m.group(1).substring(0, 4) + "… (a private key unless it is a hash)"));
        }
    }

    private static final String[] KEY_PREFIXES = {"AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "sk-", "xox", "AIza", "k_live_", "k_test_",
        "hf_", "glpat-", "eyJ"};
    private static final String[] SECRET_WORDS = {"key", "token", "secret", "passw"};

    private static boolean hasKeyPrefix(String text) {
        for (String p : KEY_PREFIXES) {
            if (text.contains(p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasSecretWord(String text) {
        for (int i = 0; i < text.length(); i++) {
            for (String w : SECRET_WORDS) {
                if (text.regionMatches(true, i, w, 0, w.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void knownKeys(String text, List<Finding> out) {
        Matcher m = KNOWN_KEYS.matcher(text);
        while (m.find()) {
            String key = m.group();
            out.add(new Finding(FindingKind.API_KEY, m.start(), m.end(),
                    "key starting " + key.substring(0, Math.min(6, key.length())) + "… (" + key.length() + " characters)"));
        }
    }

    private static void assignedSecrets(String text, List<Finding> out) {
        Matcher a = ASSIGNED_SECRET.matcher(text);
        while (a.find()) {
            String value = a.group(1);
            if (overlaps(out, a.start(1), a.end(1)) || !looksRandom(value)) {
                continue;
            }
            out.add(new Finding(FindingKind.API_KEY, a.start(1), a.end(1),
                    "a value assigned to \"" + text.substring(a.start(), a.start(1)).replaceAll("[\\s\"':=]+$", "")
                            + "\" (" + value.length() + " characters)"));
        }
    }

    /** Letters and digits mixed: a credential, not an English word such as "changeme_please". */
    private static boolean looksRandom(String v) {
        boolean letter = false;
        boolean digit = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            letter |= Character.isLetter(c);
            digit |= Character.isDigit(c);
        }
        return letter && digit;
    }

    /** Runs of consecutive BIP39 words (3-8 letters), separated by at most a little punctuation or numbering. */
    private void mnemonics(String text, List<Finding> out) {
        List<int[]> run = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            int separator = i;
            while (i < n && !Character.isLetter(text.charAt(i))) {
                i++;
            }
            if (!run.isEmpty() && (i - separator > 6 || text.substring(separator, i).contains("\n\n"))) {
                checkRun(text, run, out);
                run.clear();
            }
            if (i >= n) {
                break;
            }
            int start = i;
            while (i < n && Character.isLetter(text.charAt(i))) {
                i++;
            }
            int length = i - start;
            if (length >= 3 && length <= 8 && java.util.Arrays.binarySearch(bip39, pack(text, start, i)) >= 0) {
                run.add(new int[] {start, i});
            } else {
                checkRun(text, run, out);
                run.clear();
            }
        }
        checkRun(text, run, out);
    }

    private static void checkRun(String text, List<int[]> run, List<Finding> out) {
        if (run.size() < 12) {
            return;
        }
        int at = 0;
        while (at + 12 <= run.size()) {
            boolean found = false;
            for (int size = 24; size >= 12 && !found; size -= 3) {
                if (at + size > run.size()) {
                    continue;
                }
                StringBuilder phrase = new StringBuilder();
                for (int w = at; w < at + size; w++) {
                    int[] span = run.get(w);
                    phrase.append(w > at ? " " : "").append(text, span[0], span[1]);
                }
                if (MnemonicUtils.validateMnemonic(phrase.toString().toLowerCase(Locale.ROOT))) {
                    out.add(new Finding(FindingKind.MNEMONIC, run.get(at)[0], run.get(at + size - 1)[1],
                            size + "-word recovery phrase (BIP39, valid checksum)"));
                    at += size;
                    found = true;
                }
            }
            if (!found) {
                at++;
            }
        }
    }

    private static boolean overlaps(List<Finding> found, int start, int end) {
        for (Finding f : found) {
            if (f.start() < end && start < f.end()) {
                return true;
            }
        }
        return false;
    }
}
