package org.openledger.studio.wallet.chain;

import java.nio.file.Path;

/** A child JVM for {@link LocalChainKillTest}: starts the devnet in a folder, prints anvil's pid, then waits. */
public final class DevnetHolder {

    private DevnetHolder() {
    }

    public static void main(String[] args) throws Exception {
        LocalChain chain = LocalChain.start(FoundryTools.in(Path.of(args[0])), Path.of(args[1]));
        Path pidFile = chain.folder().resolve("anvil.pid");
        System.out.println("ready " + java.nio.file.Files.readString(pidFile).trim().split(" ")[0] + " "
                + chain.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
