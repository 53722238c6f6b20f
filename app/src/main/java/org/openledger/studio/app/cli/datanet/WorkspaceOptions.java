package org.openledger.studio.app.cli.datanet;

import java.nio.file.Path;
import org.openledger.studio.app.cli.UserError;
import org.openledger.studio.datanet.contribution.ContributionRejectedException;
import org.openledger.studio.datanet.contribution.SigningRefusedException;
import org.openledger.studio.datanet.contribution.UploadException;
import org.openledger.studio.datanet.ingest.IngestException;
import org.openledger.studio.datanet.workspace.Datanet;
import org.openledger.studio.datanet.workspace.Workspace;
import org.openledger.studio.datanet.workspace.WorkspaceException;
import org.openledger.studio.store.AppDirs;
import picocli.CommandLine.Option;

/** The options every {@code studio datanet} command shares: where the workspace is. */
public final class WorkspaceOptions {

    @Option(names = "--home", description = "Keep settings, data, cache and logs under this one folder instead of "
            + "the OS folders (also: environment variable " + AppDirs.HOME_ENV + ").")
    Path home;

    AppDirs dirs() {
        return home != null ? AppDirs.under(home) : AppDirs.forCurrentUser();
    }

    /** The workspace file the desktop studio uses too. */
    public static Path workspaceFile(AppDirs dirs) {
        return dirs.data().resolve("datanets").resolve("workspace.db");
    }

    Workspace open() {
        return Workspace.open(workspaceFile(dirs()));
    }

    static Datanet datanet(Workspace ws, String name) {
        return ws.datanets().byName(name).orElseThrow(() -> new UserError("No Datanet named \"" + name
                + "\"; `studio datanet list` shows them, `studio datanet create` makes one"));
    }

    /** Runs a command body, turning the engine's failures (all the user's to act on) into one-line errors. */
    static <T> T userErrors(java.util.concurrent.Callable<T> body) throws Exception {
        try {
            return body.call();
        } catch (WorkspaceException | IngestException | UploadException | ContributionRejectedException
                 | SigningRefusedException | org.openledger.studio.datanet.contribution.ContributionBlockedException
                 | org.openledger.studio.wallet.WalletException e) {
            throw new UserError(e.getMessage());
        }
    }
}
