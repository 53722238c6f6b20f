package org.openledger.studio.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The base model the studio ships (see its MODEL_CARD.md), held as class-path resources and extracted once into
 * a models folder, where the runtime loads it like any Hugging Face model folder. Each file is checked against
 * the SHA-256 sums shipped beside it: a folder that matches is used as it is, one that does not (an older
 * version, a damaged file, an interrupted extraction) is replaced whole.
 */
public final class BundledModel {

    /** The folder name under the models folder, and the model's id on a node. */
    public static final String NAME = "studio-tiny-en";
    static final String SUMS = "SHA256SUMS";
    private static final String ROOT = "/org/openledger/studio/model/bundled/" + NAME + "/";

    /** file name -> SHA-256 hex, as shipped. */
    public Map<String, String> files() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : new String(resource(SUMS), StandardCharsets.UTF_8).split("\n")) {
            String[] parts = line.trim().split("\\s+", 2);
            if (parts.length == 2) {
                out.put(parts[1].replace("*", ""), parts[0]);
            }
        }
        return out;
    }

    /**
     * {@code modelsDir/NAME}, extracted there first unless an intact copy is already in place.
     *
     * @throws IOException when the folder cannot be written
     */
    public Path extractTo(Path modelsDir) throws IOException {
        Path target = modelsDir.resolve(NAME);
        Map<String, String> files = files();
        if (intact(target, files)) {
            return target;
        }
        Files.createDirectories(modelsDir);
        Path tmp = Files.createTempDirectory(modelsDir, NAME + ".extracting");
        try {
            for (Map.Entry<String, String> f : files.entrySet()) {
                byte[] bytes = resource(f.getKey());
                if (!sha256(bytes).equals(f.getValue())) {
                    throw new IOException("the bundled " + f.getKey() + " does not match its SHA-256 sum; the "
                            + "studio's installation is damaged");
                }
                Files.write(tmp.resolve(f.getKey()), bytes);
            }
            deleteTree(target);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(tmp);
        }
        return target;
    }

    private static boolean intact(Path dir, Map<String, String> files) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            if (!Files.isRegularFile(p) || !sha256(Files.readAllBytes(p)).equals(f.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static byte[] resource(String name) {
        try (InputStream in = BundledModel.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the bundled model's " + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
