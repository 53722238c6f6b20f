package org.openledger.studio.daemon.registry;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.openledger.studio.daemon.chain.ChainService;
import org.web3j.protocol.Web3j;
import org.web3j.tx.ReadonlyTransactionManager;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The node's uploads whose on-chain contribution is under an open challenge or was rejected by one (the chain's
 * {@code DatanetRegistry} contract: every challenge, then each challenged contribution's manifest root, matched to
 * the node's upload with that root). Their rows earn nothing until the challenge is dismissed. Read at most every
 * {@link #FRESH_MILLIS}; a chain that is not ready (or has no registry) means no upload is known to be challenged.
 */
public final class ChallengedUploads {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ChallengedUploads.class);

    static final long FRESH_MILLIS = 30_000;
    private static final BigInteger OPEN = BigInteger.ONE;
    private static final BigInteger UPHELD = BigInteger.TWO;

    private final ChainService chain;
    private final DatanetRegistry registry;
    private boolean read;
    private long readAt;
    private Set<String> uploads = Set.of();

    public ChallengedUploads(ChainService chain, DatanetRegistry registry) {
        this.chain = chain;
        this.registry = registry;
    }

    /** Whether the upload's rows are under an open challenge or rejected. */
    public synchronized boolean challenged(String uploadId) {
        long now = System.currentTimeMillis();
        if (!read || now - readAt >= FRESH_MILLIS) {
            uploads = read();
            read = true;
            readAt = now;
        }
        return uploads.contains(uploadId);
    }

    private Set<String> read() {
        ChainService.Ready ready;
        try {
            ready = chain.ready();
        } catch (ChainService.NotAvailableException e) {
            return Set.of();
        }
        Web3j web3j = ready.client().web3j();
        String address = ready.deployment().datanetRegistry().lowercase();
        var contract = org.openledger.studio.contracts.generated.DatanetRegistry.load(address, web3j,
                new ReadonlyTransactionManager(web3j, address), new DefaultGasProvider());
        Set<String> roots = new HashSet<>();
        try {
            long count = contract.challengeCount().send().longValueExact();
            for (long i = 1; i <= count; i++) {
                var ch = contract.getChallenge(BigInteger.valueOf(i)).send();
                if (ch.status.equals(OPEN) || ch.status.equals(UPHELD)) {
                    var c = contract.getContribution(ch.contributionId).send();
                    roots.add("0x" + HexFormat.of().formatHex(c.manifestRoot));
                }
            }
        } catch (Exception e) {
            // an unreadable registry: what was known stays known (the next read tries again)
            log.warn("challenges cannot be read from the DatanetRegistry at {}: {}", address, e.toString());
            return uploads;
        }
        return registry.uploadsWithRoots(roots);
    }
}
