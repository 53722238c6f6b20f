package org.openledger.studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.openledger.studio.app.desktop.Desktop;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.ui.nodes.ConnectionState;
import org.openledger.studio.ui.nodes.NodeRow;
import org.openledger.studio.ui.shell.Notices;
import org.openledger.studio.ui.shell.Section;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole desktop, headless (Monocle), with its real local node as a child process, driven like a user would.
 */
class DesktopTest extends StudioViewTest {

    private Desktop desktop;

    /** The studio as a user starts it: its local node is {@code studio daemon} as a child process. */
    private Desktop open(AppDirs dirs) throws Exception {
        desktop = window.launch(dirs, Desktop.LocalNodeFactory.childProcess(), s -> { });
        return desktop;
    }

    private void closeDesktop() throws Exception {
        window.close();
        desktop = null;
    }

    private void awaitLocalNode(ConnectionState expected) throws Exception {
        NodeRow local = desktop.nodes().localRow();
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> local.state() == expected);
    }

    @Test
    void visitsEverySectionAndSeesTheEmbeddedNodeConnected() throws Exception {
        open(AppDirs.under(dir));
        awaitLocalNode(ConnectionState.CONNECTED);
        WaitForAsyncUtils.waitForFxEvents();

        Label statusState = robot.lookup("#status-node-state").queryAs(Label.class);
        assertEquals("Connected", statusState.getText());
        assertEquals("This computer", robot.lookup("#status-node").queryAs(Label.class).getText());
        assertNotNull(desktop.nodes().localRow().infoProperty().get(), "the node described itself over HTTP");
        assertTrue(desktop.nodes().localRow().entry().url().toString().startsWith("http://127.0.0.1:"));

        for (Section s : Section.values()) {
            robot.clickOn("#nav-" + s.name().toLowerCase(java.util.Locale.ROOT));
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(s, desktop.shell().current());
            if (s == Section.PLAYGROUND) {
                // the local node serves the bundled model unless told otherwise: the Playground offers it
                ComboBox<?> picker = robot.lookup("#playground-model-left").queryAs(ComboBox.class);
                WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                        () -> org.openledger.studio.model.BundledModel.NAME.equals(picker.getValue()));
            } else if (s == Section.FINE_TUNE) {
                // the bundled model is the base the local node fine-tunes
                ComboBox<?> base = robot.lookup("#finetune-model").queryAs(ComboBox.class);
                WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                        () -> org.openledger.studio.model.BundledModel.NAME.equals(base.getValue()));
            } else if (s == Section.DATANETS) {
                assertTrue(robot.lookup("#datanets-view").tryQuery().isPresent(), "the Datanets view replaced the plan");
            } else if (s == Section.WALLET) {
                assertTrue(robot.lookup("#wallet-accounts").tryQuery().isPresent(), "the Wallet view replaced the plan");
            } else if (s == Section.ATTRIBUTION) {
                assertTrue(robot.lookup("#attribution-records").tryQuery().isPresent(),
                        "the Attribution view replaced the plan");
                assertTrue(robot.lookup("#attribution-tabs").queryAs(javafx.scene.control.TabPane.class).getTabs()
                        .stream().anyMatch(t -> t.getText().equals("Earnings")), "the Earnings tab is there");
            } else if (s != Section.NODES) {
                Label status = robot.lookup("#planned-status-" + s.name().toLowerCase(java.util.Locale.ROOT))
                        .queryAs(Label.class);
                assertTrue(status.getText().startsWith("Not available yet"), status.getText());
                assertTrue(robot.lookup(".planned-section").queryAll().stream().anyMatch(Node::isVisible));
            }
        }
        robot.clickOn("#nav-nodes");
        TableView<?> table = robot.lookup("#nodes-table").queryAs(TableView.class);
        assertEquals(1, table.getItems().size());
        assertTrue(robot.lookup("#node-details").queryAll().size() == 1);
        assertFalse(robot.lookup(".planned-section").tryQuery().isPresent());
    }

    @Test
    void addsAnUnreachableNodeKeepsWorkingAndRemembersTheListAndWindow() throws Exception {
        open(AppDirs.under(dir));
        awaitLocalNode(ConnectionState.CONNECTED);
        robot.clickOn("#nav-nodes");

        // a bad URL keeps the dialog open with the reason
        robot.clickOn("#nodes-add");
        robot.clickOn("#add-node-url").write("ftp://nowhere");
        robot.clickOn("#add-node-confirm");
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#add-node-error").queryAs(Label.class).getText().contains("not an http"));

        robot.doubleClickOn("#add-node-url").eraseText(20).write("http://127.0.0.1:9");
        robot.clickOn("#add-node-name").write("Gone box");
        robot.clickOn("#add-node-token").write("some-token");
        robot.clickOn("#add-node-confirm");
        WaitForAsyncUtils.waitForFxEvents();

        NodeRow remote = desktop.nodes().rows().stream().filter(r -> !r.entry().local()).findFirst().orElseThrow();
        assertEquals("Gone box", remote.entry().name());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> remote.state() == ConnectionState.UNREACHABLE);
        assertTrue(remote.detailProperty().get().contains("Cannot reach"), remote.detailProperty().get());

        // switching to it: the studio says so and keeps running; switching back works
        FxToolkit.setupFixture(() -> desktop.nodes().makeActive(remote));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> "Unreachable".equals(robot.lookup("#status-node-state").queryAs(Label.class).getText()));
        FxToolkit.setupFixture(() -> desktop.nodes().makeActive(desktop.nodes().localRow()));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> "Connected".equals(robot.lookup("#status-node-state").queryAs(Label.class).getText()));

        FxToolkit.setupFixture(() -> {
            desktop.window().toggleTheme();
            window.stage().setWidth(1111);
            window.stage().setHeight(777);
        });
        robot.clickOn("#nav-wallet");
        closeDesktop();

        // everything the user set is there after a restart
        open(AppDirs.under(dir));
        assertEquals(2, desktop.nodes().rows().size());
        assertEquals("Gone box", desktop.nodes().rows().get(1).entry().name());
        assertEquals("some-token", desktop.nodes().rows().get(1).entry().token());
        assertEquals(Section.WALLET, desktop.shell().current());
        assertEquals("dark", desktop.window().theme().id());
        assertEquals(1111, window.stage().getWidth(), 1.0);
        assertEquals(777, window.stage().getHeight(), 1.0);
        awaitLocalNode(ConnectionState.CONNECTED);
    }

    @Test
    void aDamagedSettingsFileIsReportedKeptAndReplacedByDefaults() throws Exception {
        AppDirs dirs = AppDirs.under(dir);
        Files.createDirectories(dirs.config());
        Files.writeString(dirs.config().resolve("settings.json"), "{ not json");
        open(dirs);
        WaitForAsyncUtils.waitForFxEvents();
        Notices.Notice notice = desktop.notices().items().get(0);
        assertEquals(Notices.Level.WARNING, notice.level());
        assertTrue(notice.text().contains("damaged"), notice.text());
        try (var files = Files.list(dirs.config())) {
            Path kept = files.filter(p -> p.getFileName().toString().startsWith("settings.json.unreadable-"))
                    .findFirst().orElseThrow();
            assertEquals("{ not json", Files.readString(kept));
        }
        assertTrue(robot.lookup(".notice-warning").tryQuery().isPresent(), "the notice is on screen");
        awaitLocalNode(ConnectionState.CONNECTED);
    }

    @Test
    void anUnusableDataFolderIsExplainedAndTheStudioStillWorks() throws Exception {
        Path blocked = Files.writeString(dir.resolve("blocked"), "a file where a folder should be");
        AppDirs dirs = new AppDirs(dir.resolve("config"), blocked.resolve("data"), dir.resolve("cache"),
                dir.resolve("logs"));
        open(dirs);
        awaitLocalNode(ConnectionState.FAILED);
        WaitForAsyncUtils.waitForFxEvents();
        var texts = desktop.notices().items().stream().map(Notices.Notice::text).toList();
        assertTrue(texts.stream().anyMatch(t -> t.contains(blocked.resolve("data").toString())
                && t.contains("temporary folder")), texts.toString());
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("The local node could not start")), texts.toString());
        assertEquals("Failed", robot.lookup("#status-node-state").queryAs(Label.class).getText());
        // still usable: sections open, a remote node can be added
        robot.clickOn("#nav-datanets");
        assertTrue(robot.lookup(".planned-section").tryQuery().isPresent());
        robot.clickOn("#nav-nodes");
        FxToolkit.setupFixture(() -> desktop.nodes().addRemote("r", "http://127.0.0.1:9", null));
        assertEquals(2, desktop.nodes().rows().size());
        assertEquals(Section.NODES, desktop.shell().current());
    }
}
