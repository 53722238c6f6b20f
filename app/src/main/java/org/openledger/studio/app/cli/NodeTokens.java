package org.openledger.studio.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the token of the node a command talks to, with one-line errors. */
public final class NodeTokens {

    private NodeTokens() {
    }

    /**
     * The token in {@code explicit} (the user's --token-file, which must exist), else the one in {@code fallback}
     * (e.g. the local node's {@code <data>/node/token}): required or, when {@code fallbackOptional}, null if absent.
     */
    public static String read(Path explicit, Path fallback, boolean fallbackOptional) {
        Path file = explicit != null ? explicit : fallback;
        if (file == null || explicit == null && fallbackOptional && !Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new UserError("The token file " + file + " does not exist"
                    + (explicit == null ? "; give the node's token with --token-file" : ""));
        } catch (IOException e) {
            throw new UserError("Cannot read the token file " + file + ": " + e.getMessage());
        }
    }
}
