package org.openledger.studio.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.finetune.AdapterFiles;
import org.openledger.studio.gpu.lora.Adapter;
import org.openledger.studio.gpu.lora.AdapterConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code studio finetune push DIR --to URL}: a PEFT adapter folder, loaded here first, sent file by file with each
 * file's SHA-256 (the node checks it), then committed: the node loads it, checks it fits its base model and serves it.
 */
@Command(name = "push", mixinStandardHelpOptions = true,
        description = "Send a PEFT LoRA adapter folder to a node, every file checked by SHA-256, and serve it there.")
final class FineTunePush implements Callable<Integer> {

    /** The largest file a node takes for one adapter file. */
    static final long MAX_FILE_BYTES = 2L << 30;

    @Parameters(paramLabel = "DIR", description = "The adapter folder: adapter_config.json, "
            + "adapter_model.safetensors and any other files (e.g. README.md).")
    Path dir;

    @Option(names = "--to", required = true, paramLabel = "URL", description = "The node to serve the adapter.")
    String to;

    @Option(names = "--to-token-file", paramLabel = "FILE", description = "File holding that node's token "
            + "(default: the local daemon's <data-dir>/token when it exists).")
    Path toTokenFile;

    @Option(names = "--id", description = "The adapter's id on that node (default: the folder's name).")
    String id;

    @Override
    public Integer call() throws IOException {
        Path folder = dir.toAbsolutePath().normalize();
        String adapterId = id != null ? id : folder.getFileName() == null ? "" : folder.getFileName().toString();
        if (!Files.isDirectory(folder)) {
            throw new UserError(dir + " is not a folder");
        }
        for (String required : List.of(AdapterConfig.FILE, Adapter.WEIGHTS_FILE)) {
            if (!Files.isRegularFile(folder.resolve(required))) {
                throw new UserError(dir + " is not a PEFT adapter folder: it has no " + required);
            }
        }
        if (!AdapterFolders.isPlainName(adapterId) || adapterId.length() > 128) {
            throw new UserError("'" + adapterId + "' cannot be an adapter id: use letters, digits, '.', '_' and '-', "
                    + "starting with a letter or digit (--id names another)");
        }
        String baseModel;
        try {
            baseModel = Adapter.load(folder).config().baseModelNameOrPath();
        } catch (IOException e) {
            throw new UserError(dir + " cannot be loaded as a LoRA adapter: " + e.getMessage());
        }
        NodeClient client = AdapterFolders.client(to, toTokenFile);
        List<AdapterFiles.File> sent = new ArrayList<>();
        for (Path file : AdapterFolders.files(folder)) {
            sent.add(upload(client, adapterId, file));
        }
        AdapterFiles served = client.commitAdapter(new AdapterFiles(adapterId, "adapter", baseModel, null, sent));
        System.out.println(served.id());
        return 0;
    }

    private static AdapterFiles.File upload(NodeClient client, String adapterId, Path file) throws IOException {
        String name = file.getFileName().toString();
        if (Files.size(file) > MAX_FILE_BYTES) {
            throw new UserError(file + " is larger than 2 GiB, more than a node takes for one adapter file");
        }
        // hashed, then streamed from disk: a file is never held in memory whole
        long size = Files.size(file);
        String sha = AdapterFolders.sha256(file);
        client.uploadAdapterFile(adapterId, name, file, sha);
        return new AdapterFiles.File(name, size, sha);
    }
}
