package org.openledger.studio.app.cli;

import org.openledger.studio.store.Folders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.store.AppDirs;
import org.openledger.studio.store.PlainName;

/** What {@code finetune pull} and {@code push} share: file names, hashes, folder clean-up and a patient client. */
final class AdapterFolders {

    private AdapterFolders() {
    }

    /** Adapter ids and file names as the node accepts them: no path, no hidden name ({@link PlainName}). */
    static boolean isPlainName(String name) {
        return PlainName.isFileName(name);
    }

    /** A client for transfers: no overall call limit (adapter files can be large), 5 minutes between reads. */
    static NodeClient client(String url, Path tokenFile) {
        return clientWithToken(url, NodeTokens.read(tokenFile, AppDirs.forCurrentUser().nodeData().resolve("token"),
                true));
    }

    /** As {@link #client(String, Path)}, with the token already read. */
    static NodeClient clientWithToken(String url, String token) {
        OkHttpClient http = new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofMinutes(5)).writeTimeout(Duration.ofMinutes(5)).callTimeout(Duration.ZERO)
                .build();
        return KnownNodes.forCurrentUser().client(http, url, token, null);
    }

    /** The plain files at the top of a folder (no hidden files, no sub-folders, no links), sorted by name. */
    static List<Path> files(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (isPlainName(p.getFileName().toString()) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(p);
                }
            }
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static boolean isEmptyFolder(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }
}
