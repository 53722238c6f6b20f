package org.openledger.studio.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.openledger.studio.api.BuildInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code studio} command: without a subcommand it opens the desktop studio. */
@Command(name = "studio",
        mixinStandardHelpOptions = true,
        versionProvider = StudioCommand.Version.class,
        description = "OpenLedger Studio: curate Datanets, fine-tune LoRA adapters, serve them with attribution, "
                + "and stake OPEN.%nWithout a command, opens the desktop studio.",
        subcommands = {DesktopCommand.class, DaemonCommand.class, NodeCommand.class, GenerateCommand.class,
                AdaptersCommand.class,
                BenchCommand.class, ModelCommand.class, FineTuneCommand.class,
                org.openledger.studio.app.cli.wallet.WalletCommand.class,
                org.openledger.studio.app.cli.wallet.StakeCommand.class,
                org.openledger.studio.app.cli.wallet.UnstakeCommand.class,
                org.openledger.studio.app.cli.wallet.ClaimCommand.class,
                org.openledger.studio.app.cli.rewards.RewardsCommand.class,
                org.openledger.studio.app.cli.datanet.DatanetCommand.class,
                org.openledger.studio.app.cli.attribution.AttributeCommand.class,
                org.openledger.studio.app.cli.attribution.AttributionCommand.class,
                CommandLine.HelpCommand.class})
public final class StudioCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return new DesktopCommand().call();
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new StudioCommand());
        cl.setExecutionExceptionHandler(StudioCommand::oneLineError);
        return cl;
    }

    /**
     * Errors the user can act on become one line on stderr and exit code 1; a stack trace goes to the log only when
     * the failure is a bug.
     */
    private static int oneLineError(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        String name = cl.getCommandSpec().qualifiedName();
        if (e instanceof UserError || e instanceof IllegalArgumentException
                || e instanceof org.openledger.studio.store.StorageException
                || e instanceof org.openledger.studio.daemon.NodeStartException
                || e instanceof org.openledger.studio.api.NodeClientException) {
            err.println(name + ": " + e.getMessage());
        } else {
            err.println(name + ": failed: " + e);
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** The version line of {@code studio --version}. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"OpenLedger Studio " + BuildInfo.version() + " (Java " + System.getProperty("java.version")
                    + ")"};
        }
    }
}
