package org.openledger.studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The offline dependency check (issue 13): every third-party jar on this module's test class path (the whole
 * studio's runtime plus the test tools) is looked up in the pinned advisory list {@code docs/dependency-advisories.tsv}.
 * A jar with no row at all fails (someone must look a new dependency up), and so does a jar whose version is below an
 * advisory's fixed version unless that row says {@code accepted:} and docs/RELIABILITY.md names the advisory.
 */
class DependencyAdvisoriesTest {

    private static final Path LIST = Path.of("..", "docs", "dependency-advisories.tsv");
    private static final Path RELIABILITY = Path.of("..", "docs", "RELIABILITY.md");

    record Jar(String group, String artifact, String version) {
        String coordinates() {
            return group + ":" + artifact + ":" + version;
        }
    }

    record Advisory(String artifact, String id, String fixedIn, String scope, String note) {
        boolean covers(Jar jar) {
            return artifact.equals(jar.group() + ":" + jar.artifact())
                    || artifact.equals(jar.group() + ":*");
        }

        boolean affects(Jar jar) {
            return !"-".equals(fixedIn) && compareVersions(jar.version(), fixedIn) < 0;
        }

        boolean accepted() {
            return note.contains("accepted:");
        }
    }

    private static List<Jar> jars;
    private static List<Advisory> advisories;

    @BeforeAll
    static void read() throws IOException {
        jars = classPathJars();
        advisories = readList(LIST);
        // the class path must really be Maven's, or the check checks nothing
        assertTrue(jars.stream().anyMatch(j -> j.artifact().equals("jackson-databind")), "no jars found: " + jars);
    }

    @Test
    void everyJarIsLookedUp() {
        List<String> missing = new ArrayList<>();
        for (Jar jar : jars) {
            if (advisories.stream().noneMatch(a -> a.covers(jar))) {
                missing.add(jar.coordinates());
            }
        }
        assertEquals(List.of(), missing, "jars without a row in " + LIST + " (add the advisories known for them, or "
                + "a '-' row if none is known)");
    }

    @Test
    void noJarHasAnOpenAdvisory() throws IOException {
        String reliability = Files.readString(RELIABILITY);
        List<String> open = new ArrayList<>();
        for (Jar jar : jars) {
            for (Advisory a : advisories) {
                if (a.covers(jar) && a.affects(jar)) {
                    if (!a.accepted()) {
                        open.add(jar.coordinates() + " " + a.id() + " (fixed in " + a.fixedIn() + ")");
                    } else if (!reliability.contains(a.id())) {
                        open.add(jar.coordinates() + " " + a.id() + " is accepted but not explained in " + RELIABILITY);
                    }
                }
            }
        }
        assertEquals(List.of(), open, "known-vulnerable dependencies");
    }

    @Test
    void versionsCompareByNumber() {
        assertTrue(compareVersions("1.78.1", "1.79") < 0);
        assertTrue(compareVersions("1.87", "1.79") > 0);
        assertTrue(compareVersions("3.41.2.2", "3.41.2.2") == 0);
        assertTrue(compareVersions("2.13.4", "2.13.4.2") < 0);
        assertTrue(compareVersions("2.7.1-0.36.0", "2.6.0") > 0);
        assertTrue(compareVersions("10.0", "9.9") > 0);
        // a flagged old version is found: the rule bites
        Advisory lang = new Advisory("org.apache.commons:commons-lang3", "CVE-2025-48924", "3.18.0", "runtime", "");
        assertTrue(lang.affects(new Jar("org.apache.commons", "commons-lang3", "3.16.0")));
        assertTrue(!lang.affects(new Jar("org.apache.commons", "commons-lang3", "3.20.0")));
    }

    /** Numeric parts compare as numbers, others as text; a missing part counts as 0. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("[.\\-]");
        String[] y = b.split("[.\\-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = p.matches("\\d+") && q.matches("\\d+")
                    ? new java.math.BigInteger(p).compareTo(new java.math.BigInteger(q)) : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    static List<Advisory> readList(Path file) throws IOException {
        List<Advisory> out = new ArrayList<>();
        boolean header = true;
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            String[] f = line.split("\t", -1);
            assertEquals(5, f.length, "a row of " + file + " needs 5 tab-separated fields: " + line);
            out.add(new Advisory(f[0], f[1], f[2], f[3], f[4]));
        }
        return out;
    }

    /**
     * Jars of the local Maven repository on the test class path (Surefire gives it in
     * {@code surefire.test.class.path}): {@code .../GROUP/PATH/ARTIFACT/VERSION/ARTIFACT-VERSION[-CLASSIFIER].jar}.
     */
    static List<Jar> classPathJars() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        TreeSet<String> seen = new TreeSet<>();
        List<Jar> out = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            Path p = Path.of(entry).toAbsolutePath().normalize();
            int repo = indexOf(p, "repository");
            if (!entry.endsWith(".jar") || repo < 0 || p.getNameCount() - repo < 5) {
                continue;
            }
            int n = p.getNameCount();
            String version = p.getName(n - 2).toString();
            String artifact = p.getName(n - 3).toString();
            StringBuilder group = new StringBuilder();
            for (int i = repo + 1; i < n - 3; i++) {
                group.append(group.length() == 0 ? "" : ".").append(p.getName(i));
            }
            if (group.toString().startsWith("org.openledger") || !seen.add(group + ":" + artifact + ":" + version)) {
                continue;
            }
            out.add(new Jar(group.toString(), artifact, version));
        }
        return out;
    }

    private static int indexOf(Path p, String name) {
        for (int i = 0; i < p.getNameCount(); i++) {
            if (p.getName(i).toString().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
