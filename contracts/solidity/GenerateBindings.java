import java.io.File;
import java.util.Arrays;
import org.web3j.codegen.SolidityFunctionWrapperGenerator;

/**
 * Generates web3j Java bindings for every {@code <Name>.abi} + {@code <Name>.bin} pair in a folder, in one JVM (the
 * generator's own command line handles one contract per launch). Run by Maven with the codegen jar on the class path:
 * {@code java -cp ... GenerateBindings.java <abi folder> <java output folder> <package>}.
 */
public class GenerateBindings {
    public static void main(String[] args) throws Exception {
        File abiDir = new File(args[0]);
        File out = new File(args[1]);
        String pkg = args[2];
        File[] abis = abiDir.listFiles((d, n) -> n.endsWith(".abi"));
        if (abis == null || abis.length == 0) {
            throw new IllegalStateException("no .abi files in " + abiDir + ": did the Solidity compilation run?");
        }
        Arrays.sort(abis);
        for (File abi : abis) {
            String name = abi.getName().substring(0, abi.getName().length() - 4);
            File bin = new File(abiDir, name + ".bin");
            // Java native types (BigInteger, String, byte[], List) rather than web3j's Uint256 & co.
            new SolidityFunctionWrapperGenerator(bin, abi, out, name, pkg, true, false, 160).generate();
        }
    }
}
