package org.openledger.studio.datanet.workspace;

import java.nio.file.Path;
import java.util.List;
import org.openledger.studio.datanet.ingest.Ingest;

/** Adds one file to the Datanet "crash" of a workspace, printing a line per megabyte read; killed by a test. */
public final class ImportProbe {

    public static void main(String[] args) {
        try (Workspace ws = Workspace.open(Path.of(args[0]))) {
            long id = ws.datanets().byName("crash").orElseGet(() -> ws.datanets().create(
                    new NewDatanet("crash", "", "", List.of(), "MIT", "0xabc"))).id();
            ws.add(id, List.of(Path.of(args[1])), "0xabc", new Ingest(), (done, total) -> {
                System.out.println("progress " + done);
                System.out.flush();
            });
            System.out.println("finished");
        }
    }
}
