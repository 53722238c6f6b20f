package org.openledger.studio.app;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;

/**
 * Base of the TestFX tests of the studio's window: a temporary folder for the test's home and node, and a
 * {@link StudioWindow} (headless Monocle) that each test opens and that is closed after it.
 */
public abstract class StudioViewTest {

    @TempDir
    protected Path dir;

    @RegisterExtension
    protected final StudioWindow window = newWindow();

    protected final FxRobot robot = window.robot();

    /** The window the tests drive; a subclass may give one with more to it. */
    protected StudioWindow newWindow() {
        return new StudioWindow();
    }
}
