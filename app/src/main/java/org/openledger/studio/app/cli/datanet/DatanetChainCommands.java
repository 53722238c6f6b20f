package org.openledger.studio.app.cli.datanet;

import java.nio.file.Path;
import java.time.Clock;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.app.cli.wallet.ChainOptions;
import org.openledger.studio.datanet.onchain.DatanetChain;
import org.openledger.studio.datanet.workspace.Workspace;
import org.openledger.studio.store.AppDirs;

/**
 * What {@code studio datanet publish} and {@code submit} share: the workspace under the same {@code --home} as the
 * wallet, and a {@link DatanetChain} on the session's chain.
 */
final class DatanetChainCommands {

    private DatanetChainCommands() {
    }

    static Workspace workspace(ChainOptions options) {
        Path home = options.home();
        AppDirs dirs = home != null ? AppDirs.under(home) : AppDirs.forCurrentUser();
        return Workspace.open(WorkspaceOptions.workspaceFile(dirs));
    }

    static DatanetChain chain(Workspace ws, ChainOptions.Session s, ChainInfo info) {
        return new DatanetChain(ws, s.client(), info.contracts(), Clock.systemUTC());
    }
}
