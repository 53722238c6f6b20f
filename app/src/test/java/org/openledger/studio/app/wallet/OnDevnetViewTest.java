package org.openledger.studio.app.wallet;

import org.openledger.studio.app.StudioViewTest;
import org.openledger.studio.app.StudioWindow;

/** Base of the Wallet &amp; Staking view tests: the studio on a node with its own devnet ({@link WalletOnDevnet}). */
abstract class OnDevnetViewTest extends StudioViewTest {

    /** The password the tests' accounts are imported and unlocked with. */
    static final String PASSWORD = "a long password";

    final WalletOnDevnet ui = (WalletOnDevnet) window;

    @Override
    protected StudioWindow newWindow() {
        return new WalletOnDevnet();
    }
}
