package org.openledger.studio.secretscan;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reads every file the other modules' tests left under their {@code target/} folders (temp folders of JUnit and of
 * the code under test: {@code java.io.tmpdir} is {@code target/} and {@code @TempDir}s are kept, see the parent pom;
 * logs; surefire's reports) and fails on any secret of the test fixtures found there: node tokens, passwords,
 * private keys and mnemonics, collected from the constants of every {@code src/test/java} file.
 *
 * <p>Allowed homes, by design: a file that holds nothing but the secret (a token or password file, owner-only), and
 * anvil's {@code anvil.log}, which lists the devnet's public test accounts (their keys are printed in every foundry
 * manual and protect nothing) - for keys and mnemonics only, never for tokens or passwords.
 */
class SecretScanTest {

    private static final Pattern CONSTANT = Pattern.compile(
            "String\\s+([A-Z0-9_]*(?:TOKEN|PASSWORD|PASSPHRASE|MNEMONIC|PHRASE|KEY|SECRET)[A-Z0-9_]*)\\s*=\\s*\"([^\"]{8,})\"");
    private static final Pattern HEX_KEY = Pattern.compile("(?:0x)?[0-9a-fA-F]{64}");
    /** Build outputs, not test outputs. */
    private static final Set<String> BUILT = Set.of("classes", "test-classes", "generated-sources",
            "generated-test-sources", "maven-status", "maven-archiver", "surefire", "jpackage", "lib", "site");
    private static final long MAX_FILE = 64L * 1024 * 1024;

    record Secret(String name, String value, boolean publicDevnet) {
    }

    @Test
    void noTestSecretIsInAnyFileTheTestsWrote() throws IOException {
        Path root = Path.of(System.getProperty("studio.root", "..")).toAbsolutePath().normalize();
        List<Secret> secrets = collect(root);
        assertTrue(secrets.size() >= 10, "the fixtures' secrets were not found under " + root + ": " + secrets);
        List<String> hits = new ArrayList<>();
        long[] counts = new long[3]; // files, bytes, skipped (too large)
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("target"))).sorted().toList()) {
                if (module.getFileName().toString().equals("secret-scan")) {
                    continue;
                }
                scan(module.resolve("target"), secrets, hits, counts);
            }
        }
        String report = "secret scan: " + secrets.size() + " secrets, " + counts[0] + " files, " + counts[1]
                + " bytes read, " + counts[2] + " files over " + MAX_FILE / (1024 * 1024) + " MiB skipped, "
                + hits.size() + " hits";
        System.out.println(report);
        Files.writeString(root.resolve("secret-scan").resolve("target").resolve("secret-scan-report.txt"),
                report + "\n" + String.join("\n", hits) + "\n");
        assertTrue(hits.isEmpty(), report + ":\n" + String.join("\n", hits));
    }

    /** The secrets named by constants in the tests' sources, each once. */
    static List<Secret> collect(Path root) throws IOException {
        Map<String, Secret> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root, 12)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")
                    && p.toString().contains("/src/test/java/")).toList()) {
                Matcher m = CONSTANT.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    String name = m.group(1);
                    String value = m.group(2);
                    if (name.endsWith("ADDRESS") || name.endsWith("_FILE") || name.endsWith("_ENV")) {
                        continue;
                    }
                    boolean key = name.contains("KEY") && !name.contains("TOKEN");
                    if (key && !HEX_KEY.matcher(value).matches()) {
                        continue; // a key's name, a map key, a header: not key material
                    }
                    boolean devnet = key || name.contains("MNEMONIC") || name.contains("PHRASE");
                    out.putIfAbsent(value, new Secret(name, value, devnet));
                    if (key) {
                        String bare = value.startsWith("0x") ? value.substring(2) : value;
                        out.putIfAbsent(bare.toLowerCase(Locale.ROOT), new Secret(name, bare.toLowerCase(Locale.ROOT),
                                true));
                    }
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    private static void scan(Path target, List<Secret> secrets, List<String> hits, long[] counts) throws IOException {
        Files.walkFileTree(target, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.getParent() != null && dir.getParent().equals(target)
                        && BUILT.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = file.getFileName().toString();
                if (!attrs.isRegularFile() || name.endsWith(".jar") || name.endsWith(".class")) {
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.size() > MAX_FILE) {
                    counts[2]++;
                    return FileVisitResult.CONTINUE;
                }
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file);
                } catch (IOException e) {
                    return FileVisitResult.CONTINUE; // removed while we walked, or not readable
                }
                counts[0]++;
                counts[1] += bytes.length;
                String text = new String(bytes, StandardCharsets.ISO_8859_1);
                String lower = text.toLowerCase(Locale.ROOT);
                for (Secret s : secrets) {
                    boolean found = text.contains(s.value()) || s.publicDevnet() && lower.contains(
                            s.value().toLowerCase(Locale.ROOT));
                    if (!found || text.strip().equals(s.value())) {
                        continue; // the secret's own file
                    }
                    if (s.publicDevnet() && name.equals("anvil.log")) {
                        continue;
                    }
                    hits.add(file + ": " + s.name() + " (" + s.value().length() + " characters)");
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
