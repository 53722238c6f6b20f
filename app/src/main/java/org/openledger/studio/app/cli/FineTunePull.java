package org.openledger.studio.app.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.finetune.AdapterFiles;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.store.Folders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code studio finetune pull ID --out DIR}: an adapter's files from a node, into a temporary folder beside DIR,
 * each checked by size and SHA-256 against the node's list, then moved into DIR; nothing lands in DIR otherwise.
 */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Download a job's (ftjob-...) or an adapter's PEFT folder, every file checked by SHA-256.")
final class FineTunePull implements Callable<Integer> {

    @Mixin
    NodeConnection node;

    @Parameters(paramLabel = "ID", description = "A fine-tuning job id (ftjob-...; it must have succeeded) or an "
            + "adapter id (GET /v1/models lists them).")
    String id;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to write the adapter "
            + "into (made if missing; must be empty unless --force).")
    Path out;

    @Option(names = "--force", description = "Replace what a non-empty --out folder holds.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        System.out.println(pull(AdapterFolders.client(node.url, node.tokenFile), id, out, force));
        return 0;
    }

    /**
     * Downloads the adapter of job or adapter {@code id} into {@code out}, every file checked by size and SHA-256
     * before the folder is moved into place; a one-line summary.
     */
    static String pull(NodeClient client, String id, Path out, boolean force) throws IOException {
        Path target = out.toAbsolutePath().normalize();
        checkTarget(target, out, force);
        String adapterId = adapterOf(client, id);
        AdapterFiles files = client.adapterFiles(adapterId);
        if (files.files() == null || files.files().isEmpty()) {
            throw new UserError("The node lists no files for adapter '" + adapterId + "'");
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".pull-");
        long total = 0;
        try {
            for (AdapterFiles.File f : files.files()) {
                total += download(client, adapterId, f, tmp, target);
            }
            install(tmp, target);
        } finally {
            Folders.deleteQuietly(tmp);
        }
        return adapterId + "  " + files.files().size() + " files  " + total + " bytes  -> " + target;
    }

    /** The adapter a job trained, or the id itself. */
    static String adapterOf(NodeClient client, String id) {
        if (!id.startsWith("ftjob-")) {
            return id;
        }
        FineTuneJob job = client.fineTuneJob(id);
        if (!"succeeded".equals(job.status()) || job.fineTunedModel() == null) {
            throw new UserError("Job " + id + " is " + job.status() + "; only a job that succeeded has an adapter "
                    + "to pull");
        }
        return job.fineTunedModel();
    }

    private static void checkTarget(Path target, Path out, boolean force) throws IOException {
        if (target.getParent() == null) {
            throw new UserError("--out " + out + " cannot be a file system root");
        }
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new UserError("--out " + out + " is a file, not a folder");
        }
        if (Files.isDirectory(target) && !force && !AdapterFolders.isEmptyFolder(target)) {
            throw new UserError("--out " + out + " is not empty; choose an empty folder or add --force to replace it");
        }
    }

    /** Downloads one file into {@code tmp}, checked by size and SHA-256; its size. */
    private static long download(NodeClient client, String adapterId, AdapterFiles.File f, Path tmp, Path target)
            throws IOException {
        if (!AdapterFolders.isPlainName(f.name())) {
            throw new UserError("The node lists a file named '" + f.name() + "', which is not a plain file name; "
                    + "nothing was written to " + target);
        }
        MessageDigest md = AdapterFolders.sha256();
        Path file = tmp.resolve(f.name());
        try (OutputStream o = new DigestOutputStream(Files.newOutputStream(file), md)) {
            client.downloadAdapterFile(adapterId, f.name(), o);
        }
        long size = Files.size(file);
        String sha = HexFormat.of().formatHex(md.digest());
        if (size != f.bytes() || !sha.equalsIgnoreCase(f.sha256())) {
            throw new UserError("'" + f.name() + "' arrived as " + size + " bytes with SHA-256 " + sha
                    + " but the node lists " + f.bytes() + " bytes with " + f.sha256() + "; nothing was written to "
                    + target);
        }
        return size;
    }

    /** Moves the checked folder into place; a replaced folder is removed only once the new one is there. */
    private static void install(Path tmp, Path target) throws IOException {
        Path old = null;
        if (Files.exists(target)) {
            old = target.resolveSibling("." + target.getFileName() + ".replaced-" + System.nanoTime());
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (old != null) {
                Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            }
            throw e;
        }
        Folders.deleteQuietly(old);
    }
}
