package org.openledger.studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openledger.studio.wallet.chain.FoundryTools;

/** Foundry's {@code cast} from the tests: read the chain or send a transaction the studio has no command for. */
public final class Cast {

    private Cast() {
    }

    /** Runs {@code cast ARGS...}, asserts it succeeded, and returns its output. */
    public static String run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(FoundryTools.fromEnvironment().requireCast().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "cast " + String.join(" ", args) + " did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** The OPEN balance of {@code account} in wei, as decimal text. */
    public static String openOf(String token, String account, String rpc) throws Exception {
        return run("call", token, "balanceOf(address)(uint256)", account, "--rpc-url", rpc).split(" ")[0];
    }
}
