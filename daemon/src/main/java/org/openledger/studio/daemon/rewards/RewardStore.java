package org.openledger.studio.daemon.rewards;

import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openledger.studio.store.Database;
import org.openledger.studio.store.Migration;
import org.openledger.studio.wallet.Address;

/**
 * The node's reward ledger on disk ({@code rewards.db}, SQLite WAL): every credit (account, wei, reason, time) and
 * every epoch (number, root, state, each account's cumulative amount, the posting transaction and block). Amounts are
 * decimal text (uint256 does not fit SQLite's integers); accounts are stored in lowercase hex. An epoch is written in
 * one transaction before its root is sent, so a node stopped at any point finds it again.
 */
final class RewardStore implements AutoCloseable {

    static final List<Migration> MIGRATIONS = List.of(Migration.sql(1, "reward ledger",
            "CREATE TABLE reward_credit (id INTEGER PRIMARY KEY AUTOINCREMENT, account TEXT NOT NULL,"
                    + " amount_wei TEXT NOT NULL, reason TEXT NOT NULL, created_at INTEGER NOT NULL)",
            "CREATE INDEX reward_credit_account ON reward_credit (account)",
            "CREATE TABLE reward_epoch (number INTEGER PRIMARY KEY, root TEXT NOT NULL, state TEXT NOT NULL,"
                    + " total_wei TEXT NOT NULL, funded_wei TEXT NOT NULL, last_credit INTEGER NOT NULL,"
                    + " tx_hash TEXT, block INTEGER, created_at INTEGER NOT NULL, posted_at INTEGER, error TEXT)",
            "CREATE TABLE reward_epoch_account (epoch INTEGER NOT NULL REFERENCES reward_epoch(number),"
                    + " account TEXT NOT NULL, cumulative_wei TEXT NOT NULL, PRIMARY KEY (epoch, account))"),
            Migration.sql(2, "credits fed from attribution, each taken in once",
                    "ALTER TABLE reward_credit ADD COLUMN source_key TEXT",
                    "CREATE UNIQUE INDEX reward_credit_source ON reward_credit (source_key)",
                    "CREATE TABLE reward_feed (feed TEXT PRIMARY KEY, last_id INTEGER NOT NULL)"));

    /** A credit fed by another part of the node, keyed so that it is taken in once. */
    record FedCredit(String key, Address account, BigInteger amount, String reason) {
    }

    /** A credit as stored. */
    record Credit(long id, Address account, BigInteger amount, String reason, Instant createdAt) {
    }

    /** A credit to keep. */
    record NewCredit(Address account, BigInteger amount, String reason) {
    }

    /** Every credit up to and including {@code lastCredit}, summed per account (accounts in first-credit order). */
    record Totals(long lastCredit, Map<Address, BigInteger> cumulative) {
    }

    /** An epoch as stored. */
    record Epoch(long number, byte[] root, String state, BigInteger total, BigInteger funded, long lastCredit,
                 Map<Address, BigInteger> cumulative, String txHash, Long block, Instant createdAt, Instant postedAt,
                 String error) {
    }

    private final Database db;

    private RewardStore(Database db) {
        this.db = db;
    }

    static RewardStore open(Path dataDir) {
        return new RewardStore(Database.open(dataDir.resolve("rewards.db"), MIGRATIONS));
    }

    /** Keeps all of {@code credits} or none of them. */
    List<Credit> add(List<NewCredit> credits, Instant now) {
        return db.transaction(c -> {
            List<Credit> out = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("INSERT INTO reward_credit (account, amount_wei, reason, "
                    + "created_at) VALUES (?, ?, ?, ?)", PreparedStatement.RETURN_GENERATED_KEYS)) {
                for (NewCredit n : credits) {
                    st.setString(1, n.account().lowercase());
                    st.setString(2, n.amount().toString());
                    st.setString(3, n.reason());
                    st.setLong(4, now.toEpochMilli());
                    st.executeUpdate();
                    try (ResultSet keys = st.getGeneratedKeys()) {
                        keys.next();
                        out.add(new Credit(keys.getLong(1), n.account(), n.amount(), n.reason(), now));
                    }
                }
            }
            return out;
        });
    }

    /** Where feed {@code name} was taken in up to (0: never). */
    long feedPosition(String name) {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT last_id FROM reward_feed WHERE feed = ?")) {
                st.setString(1, name);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0L;
                }
            }
        });
    }

    /** Takes in fed credits (each key once) and moves the feed's position, in one transaction. */
    void takeIn(String name, long position, List<FedCredit> credits, Instant now) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT OR IGNORE INTO reward_credit (account, amount_wei,"
                    + " reason, created_at, source_key) VALUES (?, ?, ?, ?, ?)")) {
                for (FedCredit f : credits) {
                    st.setString(1, f.account().lowercase());
                    st.setString(2, f.amount().toString());
                    st.setString(3, f.reason());
                    st.setLong(4, now.toEpochMilli());
                    st.setString(5, f.key());
                    st.addBatch();
                }
                st.executeBatch();
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO reward_feed (feed, last_id) VALUES (?, ?)"
                    + " ON CONFLICT(feed) DO UPDATE SET last_id = excluded.last_id")) {
                st.setString(1, name);
                st.setLong(2, position);
                st.executeUpdate();
            }
            return null;
        });
    }

    /** Credits newest first; only {@code account}'s when given. */
    List<Credit> credits(Optional<Address> account) {
        return db.read(c -> {
            String sql = "SELECT id, account, amount_wei, reason, created_at FROM reward_credit"
                    + (account.isPresent() ? " WHERE account = ?" : "") + " ORDER BY id DESC";
            try (PreparedStatement st = c.prepareStatement(sql)) {
                if (account.isPresent()) {
                    st.setString(1, account.get().lowercase());
                }
                List<Credit> out = new ArrayList<>();
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Credit(rs.getLong(1), Address.parse(rs.getString(2)),
                                new BigInteger(rs.getString(3)), rs.getString(4),
                                Instant.ofEpochMilli(rs.getLong(5))));
                    }
                }
                return out;
            }
        });
    }

    /** Every credit so far, summed per account, read in one go with the id of the last one. */
    Totals totals() {
        return db.read(c -> {
            Map<Address, BigInteger> sums = new LinkedHashMap<>();
            long last = 0;
            try (PreparedStatement st = c.prepareStatement("SELECT id, account, amount_wei FROM reward_credit "
                    + "ORDER BY id"); ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    last = rs.getLong(1);
                    sums.merge(Address.parse(rs.getString(2)), new BigInteger(rs.getString(3)), BigInteger::add);
                }
            }
            return new Totals(last, sums);
        });
    }

    /** Keeps a new epoch (state {@code recorded}) with its accounts, in one transaction. */
    void record(Epoch e) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement("INSERT INTO reward_epoch (number, root, state, total_wei, "
                    + "funded_wei, last_credit, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                st.setLong(1, e.number());
                st.setString(2, hex(e.root()));
                st.setString(3, e.state());
                st.setString(4, e.total().toString());
                st.setString(5, e.funded().toString());
                st.setLong(6, e.lastCredit());
                st.setLong(7, e.createdAt().toEpochMilli());
                st.executeUpdate();
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO reward_epoch_account (epoch, account, "
                    + "cumulative_wei) VALUES (?, ?, ?)")) {
                for (var entry : e.cumulative().entrySet()) {
                    st.setLong(1, e.number());
                    st.setString(2, entry.getKey().lowercase());
                    st.setString(3, entry.getValue().toString());
                    st.addBatch();
                }
                st.executeBatch();
            }
            return null;
        });
    }

    /** The epoch is on chain: posted by {@code txHash} in {@code block}. */
    void markPosted(long number, String txHash, long block, Instant now) {
        update(number, "UPDATE reward_epoch SET state = 'posted', tx_hash = ?, block = ?, posted_at = ?, error = NULL "
                + "WHERE number = ?", txHash, block, now.toEpochMilli());
    }

    /** The epoch can never be posted under its number (another root took it); {@code error} says so. */
    void markFailed(long number, String error) {
        update(number, "UPDATE reward_epoch SET state = 'failed', error = ? WHERE number = ?", error);
    }

    private void update(long number, String sql, Object... values) {
        db.transaction(c -> {
            try (PreparedStatement st = c.prepareStatement(sql)) {
                int i = 1;
                for (Object v : values) {
                    if (v == null) {
                        st.setNull(i++, Types.VARCHAR);
                    } else {
                        st.setObject(i++, v);
                    }
                }
                st.setLong(i, number);
                st.executeUpdate();
            }
            return null;
        });
    }

    /** Every epoch, newest first. */
    List<Epoch> epochs() {
        return db.read(c -> select(c, "", null));
    }

    Optional<Epoch> epoch(long number) {
        return db.read(c -> select(c, " WHERE number = ?", number).stream().findFirst());
    }

    /** The epoch recorded but not yet known to be on chain, if there is one. */
    Optional<Epoch> unposted() {
        return db.read(c -> select(c, " WHERE state = 'recorded'", null).stream().findFirst());
    }

    /** The newest epoch whose root is on chain. */
    Optional<Epoch> latestPosted() {
        return db.read(c -> select(c, " WHERE state = 'posted'", null).stream().findFirst());
    }

    /** The highest epoch number recorded, 0 when none. */
    long lastNumber() {
        return db.read(c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT COALESCE(MAX(number), 0) FROM reward_epoch");
                 ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    private static List<Epoch> select(Connection c, String where, Long onlyNumber) throws SQLException {
        List<Epoch> out = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT number, root, state, total_wei, funded_wei, last_credit, "
                + "tx_hash, block, created_at, posted_at, error FROM reward_epoch" + where + " ORDER BY number DESC")) {
            if (onlyNumber != null) {
                st.setLong(1, onlyNumber);
            }
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long number = rs.getLong(1);
                    long block = rs.getLong(8);
                    Long blockOrNull = rs.wasNull() ? null : block;
                    long posted = rs.getLong(10);
                    Instant postedAt = rs.wasNull() ? null : Instant.ofEpochMilli(posted);
                    out.add(new Epoch(number, HexFormat.of().parseHex(rs.getString(2).substring(2)), rs.getString(3),
                            new BigInteger(rs.getString(4)), new BigInteger(rs.getString(5)), rs.getLong(6),
                            accounts(c, number), rs.getString(7), blockOrNull, Instant.ofEpochMilli(rs.getLong(9)),
                            postedAt, rs.getString(11)));
                }
            }
        }
        return out;
    }

    private static Map<Address, BigInteger> accounts(Connection c, long epoch) throws SQLException {
        Map<Address, BigInteger> out = new LinkedHashMap<>();
        try (PreparedStatement st = c.prepareStatement("SELECT account, cumulative_wei FROM reward_epoch_account "
                + "WHERE epoch = ? ORDER BY account")) {
            st.setLong(1, epoch);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.put(Address.parse(rs.getString(1)), new BigInteger(rs.getString(2)));
                }
            }
        }
        return out;
    }

    static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        db.close();
    }
}
