package org.openledger.studio.wallet.chain;

import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.openledger.studio.store.Database;
import org.openledger.studio.store.Migration;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.signing.SignedTransaction;

/**
 * The wallet's own record of every transaction it signed, in SQLite, written <em>before</em> a transaction is
 * broadcast. Nonces come from here and from the node together: the node forgets transactions (restart, eviction) and
 * web3j's transaction manager asks it afresh each time, which is how wallets end up with stuck or duplicated
 * transactions. With the signed bytes kept, a broadcast that failed half-way is repeated with the very same bytes,
 * which can never create a second transaction.
 */
public final class NonceBook implements AutoCloseable {

    public static final List<Migration> MIGRATIONS = List.of(Migration.sql(1, "outgoing transactions",
            """
            CREATE TABLE outgoing (
              hash TEXT PRIMARY KEY,
              chain_id INTEGER NOT NULL,
              sender TEXT NOT NULL,
              nonce INTEGER NOT NULL,
              raw TEXT NOT NULL,
              status TEXT NOT NULL,
              description TEXT NOT NULL DEFAULT '',
              created_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL
            )""",
            "CREATE INDEX outgoing_sender ON outgoing(chain_id, sender, nonce)"),
            Migration.sql(2, "revert reasons of failed transactions",
                    "ALTER TABLE outgoing ADD COLUMN reason TEXT NOT NULL DEFAULT ''"));

    private final Database db;
    private final Clock clock;
    private final boolean owned;

    private NonceBook(Database db, Clock clock, boolean owned) {
        this.db = db;
        this.clock = clock;
        this.owned = owned;
    }

    /** Uses a database the caller opened with {@link #MIGRATIONS} (and closes). */
    public NonceBook(Database db, Clock clock) {
        this(db, clock, false);
    }

    /** Opens (or creates) its own database file. */
    public static NonceBook open(Path file, Clock clock) {
        return new NonceBook(Database.open(file, MIGRATIONS), clock, true);
    }

    /**
     * The nonce for the next transaction of {@code sender}: past everything the node counts ({@code nodePending},
     * from {@code eth_getTransactionCount(pending)}) and everything this wallet signed and has not settled.
     *
     * @throws NonceGapException when a nonce between the node's count and this wallet's newest unsettled transaction
     *                           has no transaction: everything after it would wait forever
     */
    public BigInteger nextNonce(long chainId, Address sender, BigInteger nodePending) {
        List<PendingTransaction> open = unsettled(chainId, sender);
        TreeSet<BigInteger> nonces = new TreeSet<>();
        open.forEach(t -> nonces.add(t.nonce()));
        if (nonces.isEmpty() || nonces.last().compareTo(nodePending) < 0) {
            return nodePending;
        }
        for (BigInteger n = nodePending; n.compareTo(nonces.last()) < 0; n = n.add(BigInteger.ONE)) {
            if (!nonces.contains(n)) {
                throw new NonceGapException("Nonce " + n + " of " + sender + " has no transaction, but nonce "
                        + nonces.last() + " is waiting behind it: resend or cancel the transactions from nonce " + n
                        + " on, or discard the later ones");
            }
        }
        return nonces.last().add(BigInteger.ONE);
    }

    /** Saves a signed transaction before it is broadcast. */
    public void recordSigned(SignedTransaction tx, String description) {
        long now = clock.millis();
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT OR IGNORE INTO outgoing(hash, chain_id, sender, "
                    + "nonce, raw, status, description, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)")) {
                st.setString(1, tx.hash());
                st.setLong(2, tx.chainId());
                st.setString(3, tx.from().lowercase());
                st.setLong(4, tx.nonce().longValueExact());
                st.setString(5, tx.rawHex());
                st.setString(6, PendingTransaction.Status.SIGNED.name());
                st.setString(7, description == null ? "" : description);
                st.setLong(8, now);
                st.setLong(9, now);
                st.executeUpdate();
            }
            return null;
        });
    }

    /** Moves a transaction to {@code status}; mining one also marks the others with its nonce as replaced. */
    public void mark(String hash, PendingTransaction.Status status) {
        long now = clock.millis();
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement(
                    "UPDATE outgoing SET status = ?, updated_at = ? WHERE hash = ?")) {
                st.setString(1, status.name());
                st.setLong(2, now);
                st.setString(3, hash);
                if (st.executeUpdate() == 0) {
                    throw new SQLException("no transaction " + hash + " in the nonce book");
                }
            }
            if (status == PendingTransaction.Status.MINED || status == PendingTransaction.Status.FAILED) {
                try (PreparedStatement st = c.prepareStatement("UPDATE outgoing SET status = 'REPLACED', "
                        + "updated_at = ? WHERE hash <> ? AND status IN ('SIGNED','SENT') AND (chain_id, sender, nonce)"
                        + " = (SELECT chain_id, sender, nonce FROM outgoing WHERE hash = ?)")) {
                    st.setLong(1, now);
                    st.setString(2, hash);
                    st.setString(3, hash);
                    st.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Keeps the decoded revert reason of a failed transaction (shown in the history). */
    public void recordReason(String hash, String reason) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("UPDATE outgoing SET reason = ? WHERE hash = ?")) {
                st.setString(1, reason == null ? "" : reason);
                st.setString(2, hash);
                st.executeUpdate();
            }
            return null;
        });
    }

    /** Every transaction signed with the same chain, sender and nonce as {@code hash} (it included), oldest first. */
    public List<PendingTransaction> sameNonce(String hash) {
        return query("SELECT o.* FROM outgoing o JOIN outgoing t ON t.hash = ? AND o.chain_id = t.chain_id "
                + "AND o.sender = t.sender AND o.nonce = t.nonce ORDER BY o.created_at", hash);
    }

    public Optional<PendingTransaction> find(String hash) {
        List<PendingTransaction> found = query("SELECT * FROM outgoing WHERE hash = ?", hash);
        return found.stream().findFirst();
    }

    /** Signed or sent, not yet mined, oldest nonce first. */
    public List<PendingTransaction> unsettled(long chainId, Address sender) {
        return query("SELECT * FROM outgoing WHERE chain_id = ? AND sender = ? AND status IN ('SIGNED','SENT') "
                + "ORDER BY nonce, created_at", chainId, sender.lowercase());
    }

    /** Everything this wallet signed for {@code sender} on the chain, newest first. */
    public List<PendingTransaction> history(long chainId, Address sender) {
        return query("SELECT * FROM outgoing WHERE chain_id = ? AND sender = ? ORDER BY nonce DESC, created_at DESC",
                chainId, sender.lowercase());
    }

    private List<PendingTransaction> query(String sql, Object... args) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    st.setObject(i + 1, args[i]);
                }
                List<PendingTransaction> out = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new PendingTransaction(rs.getString("hash"), rs.getLong("chain_id"),
                                Address.parse(rs.getString("sender")), BigInteger.valueOf(rs.getLong("nonce")),
                                rs.getString("raw"), PendingTransaction.Status.valueOf(rs.getString("status")),
                                rs.getString("description"), Instant.ofEpochMilli(rs.getLong("created_at")),
                                rs.getString("reason")));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void close() {
        if (owned) {
            db.close();
        }
    }
}
