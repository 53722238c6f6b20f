package org.openledger.studio.wallet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openledger.studio.wallet.chain.FoundryTools;

/**
 * Foundry's {@code cast}, the independent implementation the tests compare against. Missing cast is a failure, never a
 * skip: without the peer the tests would prove nothing.
 */
public final class Cast {

    private final Path binary;

    public Cast() {
        this.binary = FoundryTools.fromEnvironment().requireCast();
    }

    /** Runs cast with {@code args} and returns its trimmed standard output; a non-zero exit fails with stderr. */
    public String run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("cast did not finish: " + command);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("cast " + String.join(" ", args) + " failed (" + p.exitValue() + "): "
                        + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new AssertionError("cannot run cast at " + binary, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
