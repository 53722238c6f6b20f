package org.openledger.studio.app.crash;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The anvil processes serving a node's devnet folder, found by their command line (their {@code --state} file). */
final class Chains {

    private Chains() {
    }

    static List<ProcessHandle> anvilsOf(Path data) {
        String state = data.resolve("chain").resolve("anvil-state.json").toString();
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(cl -> cl.contains("anvil") && cl.contains(state))
                        .orElse(false)).toList();
    }

    /** Ends whatever anvil of this folder the harness's kills left behind, so none outlives the test. */
    static void stopAnvilsOf(Path data) throws InterruptedException {
        for (ProcessHandle p : anvilsOf(data)) {
            p.destroy();
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }
}
