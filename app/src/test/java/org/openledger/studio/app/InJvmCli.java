package org.openledger.studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.openledger.studio.app.cli.StudioCommand;

/**
 * The CLI in the test's JVM: parser, commands, error handler and exit code exactly as {@code studio} runs them, with
 * {@code System.out}/{@code err} captured. The command line is made after they are swapped, so picocli's writers
 * (of nested subcommands too) and commands that print to {@code System.out} all land in the capture.
 */
public final class InJvmCli {

    private InJvmCli() {
    }

    /** One run: its exit code and what it printed. */
    public record Run(int code, String out, String err) {
    }

    public static synchronized Run run(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = StudioCommand.commandLine().execute(args);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(stdout);
            System.setErr(stderr);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** One command line from its words and the options that follow them (e.g. {@code --url U --token-file F}). */
    public static String[] args(List<String> first, List<String> rest) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(rest);
        return all.toArray(String[]::new);
    }

    public static String[] args(List<String> first, String... rest) {
        return args(first, List.of(rest));
    }

    /** Runs a command that must succeed; its standard output, stripped. */
    public static String ok(String... args) {
        Run r = run(args);
        assertEquals(0, r.code(), String.join(" ", args) + "\n" + r.err() + "\n" + r.out());
        return r.out().strip();
    }

    /** Exit 1 and one line on stderr that mentions {@code mentions} (any case), with no stack trace. */
    public static void assertOneLineError(Run r, String mentions) {
        assertEquals(1, r.code(), "exit code; stdout=" + r.out() + " stderr=" + r.err());
        List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
        assertEquals(1, lines.size(), "one stderr line: " + r.err());
        assertTrue(lines.get(0).toLowerCase().contains(mentions.toLowerCase()), lines.get(0));
        assertFalse(lines.get(0).contains("Exception"), lines.get(0));
    }
}
