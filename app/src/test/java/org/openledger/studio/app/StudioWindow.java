package org.openledger.studio.app;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openledger.studio.app.desktop.Desktop;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.ui.nodes.ConnectionState;
import org.openledger.studio.ui.nodes.LocalNode;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A studio window for a TestFX test on the headless Monocle toolkit (the properties are in app's surefire
 * configuration): registers the toolkit's primary stage before each test, opens the whole studio (or one view) on a
 * stage of its own, and closes that stage after the test, which stops the studio's local node. Register it as
 * {@code @RegisterExtension final StudioWindow window = new StudioWindow();}. It also holds what the view tests do to
 * the window: fire buttons, set fields, read labels.
 */
public class StudioWindow implements BeforeEachCallback, AfterEachCallback {

    /** A window large enough that the fine-tune result card is on screen. */
    public static final Consumer<Stage> LARGE = s -> {
        s.setWidth(1280);
        s.setHeight(860);
    };

    private final FxRobot robot = new FxRobot();
    private Stage stage;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
    }

    /** Closes the window (and so the studio and its local node); again is a no-op. */
    public void close() throws Exception {
        if (stage != null) {
            Stage open = stage;
            stage = null;
            FxToolkit.setupFixture(open::close);
        }
    }

    public FxRobot robot() {
        return robot;
    }

    public Stage stage() {
        return stage;
    }

    /** Opens the studio with its home {@code dirs} on {@code local}, and waits (60 s) until that node is connected. */
    public Desktop open(AppDirs dirs, LocalNode local) throws Exception {
        return open(dirs, local, s -> { });
    }

    /** The same on a stage that {@code size} sets up first (e.g. a larger window). */
    public Desktop open(AppDirs dirs, LocalNode local, Consumer<Stage> size) throws Exception {
        Desktop desktop = launch(dirs, (ds, http) -> local, size);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> desktop.nodes().localRow().state() == ConnectionState.CONNECTED);
        return desktop;
    }

    /** Opens the studio with the local node that {@code nodes} makes, without waiting for it. */
    public Desktop launch(AppDirs dirs, Desktop.LocalNodeFactory nodes, Consumer<Stage> size) throws Exception {
        AtomicReference<Desktop> opened = new AtomicReference<>();
        FxToolkit.setupFixture(() -> {
            stage = new Stage();
            size.accept(stage);
            opened.set(Desktop.open(stage, dirs, nodes));
        });
        return opened.get();
    }

    /** Shows one view alone in a {@code width} x {@code height} scene. */
    public void show(Supplier<Parent> view, double width, double height) throws Exception {
        FxToolkit.setupFixture(() -> {
            stage = new Stage();
            stage.setScene(new Scene(view.get(), width, height));
            stage.show();
        });
    }

    /** Opens Wallet &amp; Staking and waits (90 s) until the node's chain is ready there. */
    public void openWalletUntilChainReady() throws Exception {
        robot.clickOn("#nav-wallet");
        Label chain = robot.lookup("#wallet-chain").queryAs(Label.class);
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> chain.getText().endsWith("ready"));
    }

    /** Types {@code password} in Wallet &amp; Staking, presses Unlock and waits (60 s) until Lock is enabled. */
    public void unlockAndWait(String password) throws Exception {
        FxToolkit.setupFixture(() -> field("#wallet-password").setText(password));
        press("#wallet-unlock");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !button("#wallet-lock").isDisabled());
    }

    public Button button(String id) {
        return robot.lookup(id).queryButton();
    }

    public TextField field(String id) {
        return (TextField) robot.lookup(id).query();
    }

    /** Fires a button as a click would (it may be scrolled out of the small test window). */
    public void press(String id) throws Exception {
        Button b = button(id);
        assertFalse(b.isDisabled(), id + " is disabled");
        FxToolkit.setupFixture(b::fire);
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** The label's text, read where the test runs (the label must be in the scene). */
    public String label(String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    /**
     * The label's text, or "" while it is not in the scene or has none (rows are rebuilt as data arrives); read on
     * the FX thread.
     */
    public String text(String id) {
        String t = onFx(() -> robot.lookup(id).tryQuery().map(n -> ((Label) n).getText()).orElse(""));
        return t == null ? "" : t;
    }

    public boolean has(String id) {
        return onFx(() -> robot.lookup(id).tryQuery().isPresent());
    }

    /** The text of every visible label, button and the like, one a line. */
    public String visibleText() {
        StringBuilder sb = new StringBuilder();
        robot.lookup(n -> n instanceof Labeled l && l.isVisible() && l.getText() != null)
                .queryAllAs(Labeled.class).forEach(l -> sb.append(l.getText()).append('\n'));
        return sb.toString();
    }

    /** Reads on the FX thread: views rebuild their rows there while the test reads them. */
    public static <T> T onFx(Callable<T> read) {
        try {
            return WaitForAsyncUtils.asyncFx(read).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
