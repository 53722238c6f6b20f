package org.openledger.studio.app.cli.wallet;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.openledger.studio.app.cli.UserError;
import org.openledger.studio.wallet.PrivateKey;
import org.openledger.studio.wallet.Secret;
import org.openledger.studio.wallet.signing.Signature;
import org.openledger.studio.wallet.signing.TypedData;
import org.openledger.studio.wallet.signing.TypedDataSigner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code studio wallet sign-typed-data}: an EIP-712 signature (r || s || v) of a typed-data JSON file. */
@Command(name = "sign-typed-data", mixinStandardHelpOptions = true,
        description = "Sign EIP-712 typed data (the JSON of eth_signTypedData_v4) with a keystore v3 file and print the "
                + "65-byte signature as 0x hex (as `cast wallet sign --data`).")
public final class SignTypedDataCommand implements Callable<Integer> {

    @Option(names = "--keystore", required = true, description = "Keystore v3 file of the signing key.")
    Path keystore;

    @Option(names = "--password-file", required = true, description = "File holding the keystore's password.")
    Path passwordFile;

    @Option(names = "--describe", description = "First print what the signature covers, one field a line.")
    boolean describe;

    @Parameters(index = "0", paramLabel = "FILE", description = "The typed-data JSON file.")
    Path file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError("The typed-data file " + file + " does not exist");
        } catch (IOException e) {
            throw new UserError("Cannot read the typed-data file " + file + ": " + e.getMessage());
        }
        TypedData data = CliSecrets.userErrors(() -> TypedData.parse(json));
        Signature signature;
        try (Secret password = CliSecrets.read(passwordFile, "password")) {
            signature = CliSecrets.userErrors(() -> {
                try (PrivateKey key = CliSecrets.keystore().read(keystore, password)) {
                    return new TypedDataSigner().sign(data, key);
                }
            });
        }
        PrintWriter out = spec.commandLine().getOut();
        if (describe) {
            data.describe().forEach(out::println);
        }
        out.println(signature.hex());
        out.flush();
        return 0;
    }
}
