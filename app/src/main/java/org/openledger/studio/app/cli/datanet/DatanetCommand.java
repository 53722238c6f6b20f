package org.openledger.studio.app.cli.datanet;

import picocli.CommandLine.Command;

/** {@code studio datanet}: curate, check and upload Datanet contributions from the shell. */
@Command(name = "datanet", mixinStandardHelpOptions = true,
        description = "Curate, check and upload Datanet contributions, publish Datanets and submit contributions on "
                + "chain (the same workspace as the desktop studio).",
        subcommands = {DatanetCreateCommand.class, DatanetAddCommand.class, DatanetCheckCommand.class,
                DatanetUploadCommand.class, DatanetListCommand.class, DatanetRowsCommand.class,
                DatanetPublishCommand.class, DatanetSubmitCommand.class, DatanetHistoryCommand.class})
public final class DatanetCommand {
}
