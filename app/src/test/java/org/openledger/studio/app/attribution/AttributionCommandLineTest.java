package org.openledger.studio.app.attribution;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.openledger.studio.app.InJvmCli.args;
import static org.openledger.studio.app.InJvmCli.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openledger.studio.app.InJvmCli.Run;
import org.openledger.studio.app.InJvmCli;

/**
 * {@code studio attribute} and {@code studio attribution} argument errors that need no node: each one line on
 * stderr, exit 1, nothing on stdout, and no request sent (the URL points at a closed port, which would fail
 * differently).
 */
class AttributionCommandLineTest {

    @TempDir
    Path dir;

    private List<String> at() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "0123456789abcdef0123456789abcdef\n");
        return List.of("--url", "http://127.0.0.1:1", "--token-file", token.toString());
    }

    @Test
    void promptAndMessagesExactlyOne() throws Exception {
        Path chat = Files.writeString(dir.resolve("chat.json"), "[{\"role\":\"user\",\"content\":\"Hi\"}]");
        oneLineError(attribute("--prompt", "Hi", "--messages", chat.toString()), "exactly one of --prompt");
        oneLineError(attribute(), "exactly one of --prompt");
    }

    @Test
    void aDaemonWhoseFeeSplitOrPricesAreWrongRefusesToStartInOneLine(@TempDir Path data) {
        String dataDir = data.toString();
        oneLineError(run("daemon", "--no-model", "--port", "0", "--data-dir", dataDir, "--split-owner", "0.5",
                "--split-stakers", "0.5", "--split-contributors", "0.5"), "must sum to 1");
        oneLineError(run("daemon", "--no-model", "--port", "0", "--data-dir", dataDir, "--split-owner", "-0.2",
                "--split-stakers", "0.7", "--split-contributors", "0.5"), "[0, 1]");
        oneLineError(run("daemon", "--no-model", "--port", "0", "--data-dir", dataDir, "--price-in", "-1"),
                "--price-in");
        oneLineError(run("daemon", "--no-model", "--port", "0", "--data-dir", dataDir, "--platform-fee",
                "0.0000000000000000001"), "--platform-fee");
        oneLineError(run("daemon", "--no-model", "--port", "0", "--data-dir", dataDir, "--owner-account", "0x12"),
                "--owner-account");
        oneLineError(run("daemon", "--no-model", "--port", "0", "--data-dir", dataDir, "--settle-every", "-5"),
                "--settle-every");
    }

    @Test
    void topOutOfRange() throws Exception {
        oneLineError(attribute("--prompt", "Hi", "--top", "0"), "--top must be in [1, 100]");
        oneLineError(attribute("--prompt", "Hi", "--top", "101"), "--top must be in [1, 100]");
    }

    @Test
    void unreadableOrBadMessagesFile() throws Exception {
        oneLineError(attribute("--messages", dir.resolve("nope.json").toString()), "does not exist");
        oneLineError(attribute("--messages", Files.createDirectory(dir.resolve("folder")).toString()),
                "cannot be read");
        Path notUtf8 = Files.write(dir.resolve("latin1.json"), new byte[]{'[', (byte) 0xE9, ']'});
        oneLineError(attribute("--messages", notUtf8.toString()), "not UTF-8");
        Path broken = Files.writeString(dir.resolve("broken.json"), "[{\"role\":\"user\",\n \"content\": }]");
        oneLineError(attribute("--messages", broken.toString()), "is not JSON");
        Path object = Files.writeString(dir.resolve("object.json"), "{\"role\":\"user\",\"content\":\"Hi\"}");
        oneLineError(attribute("--messages", object.toString()), "must be a JSON array");
        Path empty = Files.writeString(dir.resolve("empty.json"), "[]");
        oneLineError(attribute("--messages", empty.toString()), "must be a JSON array");
        Path noContent = Files.writeString(dir.resolve("nocontent.json"),
                "[{\"role\":\"user\",\"content\":\"Hi\"},{\"role\":\"assistant\"}]");
        oneLineError(attribute("--messages", noContent.toString()), "message 1 must be an object");
        Path number = Files.writeString(dir.resolve("number.json"), "[{\"role\":\"user\",\"content\":5}]");
        oneLineError(attribute("--messages", number.toString()), "message 0 must be an object");
    }

    @Test
    void unreachableNodeIsOneLine() throws Exception {
        Run r = attribute("--prompt", "Hi");
        oneLineError(r, "studio attribute: ");
        oneLineError(run(args(List.of("attribution", "indexes"), at())), "studio attribution indexes: ");
        oneLineError(run("attribution"), "show ID, list, export --out FILE, indexes or index");
    }

    private Run attribute(String... more) throws Exception {
        List<String> all = new ArrayList<>(List.of("attribute", "--model", "tiny-ft-a", "--completion", "Hello"));
        all.addAll(List.of(more));
        return run(args(all, at()));
    }

    private static void oneLineError(Run r, String mentions) {
        InJvmCli.assertOneLineError(r, mentions);
        assertTrue(r.out().isBlank(), "nothing on stdout: " + r.out());
    }
}
