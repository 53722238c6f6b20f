package org.openledger.studio.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.openledger.studio.store.Folders;

/**
 * The user's accounts in one folder: {@code accounts.json} (addresses and labels, nothing secret), {@code seed.json}
 * (the recovery phrase's entropy sealed like a keystore) and one keystore v3 file per signing account under
 * {@code keystore/}, all readable by the owner only. One password protects the whole wallet.
 *
 * <p>Unlocking decrypts one account's key into memory; {@link #lock()} wipes every unlocked key, and a key unused for
 * longer than the idle timeout is wiped on its next use or on {@link #lockIfIdle()} (which the application calls from
 * its own timer: the engine starts no threads).
 */
public final class Wallet {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNTS = "accounts.json";
    private static final String SEED = "seed.json";
    private static final String KEYSTORES = "keystore";
    private static final DateTimeFormatter GETH_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final Path folder;
    private final Keystore keystore;
    private final Clock clock;
    private final Duration idleTimeout;
    private final List<Account> accounts = new ArrayList<>();
    private final Map<Address, PrivateKey> unlocked = new HashMap<>();
    private Instant lastUse;

    public Wallet(Path folder, Keystore keystore, Clock clock, Duration idleTimeout) {
        this.folder = folder;
        this.keystore = keystore;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        Folders.ensureWritable(folder);
        restrictFolder(folder);
        load();
    }

    public Path folder() {
        return folder;
    }

    public synchronized List<Account> accounts() {
        return List.copyOf(accounts);
    }

    public synchronized Optional<Account> find(Address address) {
        return accounts.stream().filter(a -> a.address().equals(address)).findFirst();
    }

    /** Whether the wallet has a recovery phrase (HD accounts can be added). */
    public synchronized boolean hasRecoveryPhrase() {
        return Files.exists(folder.resolve(SEED));
    }

    /**
     * Makes this an HD wallet from {@code mnemonic} (new or restored) and adds its first account (index 0).
     *
     * @throws WalletException if the wallet already has a recovery phrase
     */
    public synchronized Account createFromMnemonic(Mnemonic mnemonic, Secret password) {
        if (hasRecoveryPhrase()) {
            throw new WalletException("This wallet already has a recovery phrase; create a new wallet folder to use "
                    + "another one");
        }
        requirePassword(password);
        if (accounts.stream().anyMatch(Account::canSign)) {
            checkPassword(password);
        }
        Keystore.writeOwnerOnly(folder.resolve(SEED), sealedSeed(mnemonic, password));
        try (Mnemonic copy = Mnemonic.fromEntropy(mnemonic.entropy())) {
            return addHd(copy, 0, password, "Account 1");
        }
    }

    /** Derives the next HD account ({@code m/44'/60'/0'/0/i}, i = one more than the highest so far). */
    public synchronized Account addHdAccount(Secret password, String label) {
        if (!hasRecoveryPhrase()) {
            throw new WalletException("This wallet has no recovery phrase: create or restore one first");
        }
        int next = accounts.stream().filter(a -> a.kind() == Account.Kind.HD)
                .mapToInt(Account::hdIndex).max().orElse(-1) + 1;
        try (Mnemonic mnemonic = openRecoveryPhrase(password)) {
            return addHd(mnemonic, next, password, label == null || label.isBlank() ? "Account " + (next + 1) : label);
        }
    }

    /**
     * Decrypts the recovery phrase (to show it again after asking for the password, or to derive accounts).
     * The caller must close it.
     */
    public synchronized Mnemonic openRecoveryPhrase(Secret password) {
        if (!hasRecoveryPhrase()) {
            throw new WalletException("This wallet has no recovery phrase");
        }
        String text = Keystore.readText(folder.resolve(SEED));
        JsonNode seed;
        try {
            seed = JSON.readTree(text);
        } catch (IOException e) {
            throw new CorruptKeystoreException("The wallet's seed file " + folder.resolve(SEED)
                    + " is damaged (not JSON); restore it from your recovery phrase", e);
        }
        byte[] entropy = keystore.open(seed.get("crypto"), password);
        try {
            return Mnemonic.fromEntropy(entropy);
        } finally {
            Secret.wipe(entropy);
        }
    }

    private Account addHd(Mnemonic mnemonic, int index, Secret password, String label) {
        byte[] seed = mnemonic.seed(null);
        try (PrivateKey key = HdPath.ethereum(index).derive(seed)) {
            if (find(key.address()).isPresent()) {
                throw new WalletException("The account " + key.address() + " is already in this wallet");
            }
            String file = writeKeystore(key, password);
            Account account = new Account(key.address(), label, Account.Kind.HD, index, file);
            accounts.add(account);
            save();
            return account;
        } finally {
            Secret.wipe(seed);
        }
    }

    /** Adds an account for a private key the user already has. The key stays the caller's to wipe. */
    public synchronized Account importPrivateKey(PrivateKey key, Secret password, String label) {
        requirePassword(password);
        if (find(key.address()).map(Account::canSign).orElse(false)) {
            throw new WalletException("The account " + key.address() + " is already in this wallet");
        }
        if (accounts.stream().anyMatch(Account::canSign) || hasRecoveryPhrase()) {
            checkPassword(password);
        }
        String file = writeKeystore(key, password);
        accounts.removeIf(a -> a.address().equals(key.address()));
        Account account = new Account(key.address(), label, Account.Kind.IMPORTED, null, file);
        accounts.add(account);
        save();
        return account;
    }

    /**
     * Imports a keystore v3 file (from geth, MetaMask, cast...): opens it with its own password and stores it again
     * under the wallet's password.
     */
    public synchronized Account importKeystore(Path file, Secret filePassword, Secret walletPassword, String label) {
        try (PrivateKey key = keystore.read(file, filePassword)) {
            return importPrivateKey(key, walletPassword, label);
        }
    }

    /** Adds an address to follow without being able to sign for it. */
    public synchronized Account watch(Address address, String label) {
        if (find(address).isPresent()) {
            throw new WalletException("The address " + address + " is already in this wallet");
        }
        Account account = new Account(address, label, Account.Kind.WATCH_ONLY, null, null);
        accounts.add(account);
        save();
        return account;
    }

    public synchronized Account rename(Address address, String label) {
        Account account = require(address);
        Account renamed = account.withLabel(label);
        accounts.set(accounts.indexOf(account), renamed);
        save();
        return renamed;
    }

    /**
     * Decrypts the account's key and keeps it in memory until {@link #lock()} or the idle timeout.
     *
     * @throws WrongPasswordException when the password is wrong (nothing changes)
     */
    public synchronized void unlock(Address address, Secret password) {
        Account account = require(address);
        if (!account.canSign()) {
            throw new WalletException("The address " + address + " is watch-only: it has no key to unlock");
        }
        PrivateKey key = keystore.read(folder.resolve(KEYSTORES).resolve(account.keystoreFile()), password);
        PrivateKey old = unlocked.put(address, key);
        if (old != null) {
            old.close();
        }
        lastUse = clock.instant();
    }

    public synchronized boolean isUnlocked(Address address) {
        lockIfIdle();
        return unlocked.containsKey(address);
    }

    /** Wipes every unlocked key. */
    public synchronized void lock() {
        unlocked.values().forEach(PrivateKey::close);
        unlocked.clear();
        lastUse = null;
    }

    /** Locks when no key was used for longer than the idle timeout; returns whether it locked. */
    public synchronized boolean lockIfIdle() {
        if (!unlocked.isEmpty() && lastUse != null && clock.instant().isAfter(lastUse.plus(idleTimeout))) {
            lock();
            return true;
        }
        return false;
    }

    /**
     * Runs {@code use} with the unlocked key of {@code address} (e.g. to sign); the key must not escape it.
     *
     * @throws WalletLockedException when the account is locked, or has just auto-locked after idle time
     */
    public synchronized <T> T withKey(Address address, Function<PrivateKey, T> use) {
        if (lockIfIdle()) {
            throw new WalletLockedException("The wallet locked itself after " + idleTimeout.toMinutes()
                    + " minutes without use; unlock " + address + " again");
        }
        PrivateKey key = unlocked.get(address);
        if (key == null) {
            throw new WalletLockedException("Unlock " + address + " with the wallet password before signing");
        }
        lastUse = clock.instant();
        return use.apply(key);
    }

    /** Copies the account's keystore v3 file (encrypted under the wallet password) to {@code target}, owner-only. */
    public synchronized void exportKeystore(Address address, Path target) {
        Account account = require(address);
        if (!account.canSign()) {
            throw new WalletException("The address " + address + " is watch-only: it has no keystore");
        }
        Keystore.writeOwnerOnly(target, Keystore.readText(folder.resolve(KEYSTORES).resolve(account.keystoreFile())));
    }

    /**
     * Re-encrypts the recovery phrase and every keystore under {@code newPassword}. All new files are written first;
     * only when every one of them exists do they replace the old ones, so a failure half-way loses nothing.
     *
     * @throws WrongPasswordException when {@code oldPassword} is wrong (nothing changes)
     */
    public synchronized void changePassword(Secret oldPassword, Secret newPassword) {
        requirePassword(newPassword);
        Map<Path, String> replacements = new HashMap<>();
        if (hasRecoveryPhrase()) {
            try (Mnemonic m = openRecoveryPhrase(oldPassword)) {
                replacements.put(folder.resolve(SEED), sealedSeed(m, newPassword));
            }
        }
        for (Account a : accounts) {
            if (a.canSign()) {
                Path file = folder.resolve(KEYSTORES).resolve(a.keystoreFile());
                try (PrivateKey key = keystore.read(file, oldPassword)) {
                    replacements.put(file, keystore.encrypt(key, newPassword));
                }
            }
        }
        replaceAll(replacements);
    }

    /**
     * Replaces several files as one step: every new file is written next to its target first ({@code .new}), each old
     * one is kept as {@code .old} until all are in place, and a failure half-way moves the old ones back, so the wallet
     * never ends up with files under two different passwords or without a file.
     */
    private void replaceAll(Map<Path, String> replacements) {
        Map<Path, Path> staged = new HashMap<>();
        Map<Path, Path> backups = new HashMap<>();
        try {
            for (Map.Entry<Path, String> e : replacements.entrySet()) {
                Path tmp = e.getKey().resolveSibling(e.getKey().getFileName() + ".new");
                Keystore.writeOwnerOnly(tmp, e.getValue());
                staged.put(e.getKey(), tmp);
            }
            for (Path target : staged.keySet()) {
                Path old = target.resolveSibling(target.getFileName() + ".old");
                Files.copy(target, old, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                backups.put(target, old);
            }
            for (Map.Entry<Path, Path> e : staged.entrySet()) {
                Files.move(e.getValue(), e.getKey(), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException | RuntimeException e) {
            StringBuilder kept = new StringBuilder();
            for (Map.Entry<Path, Path> b : backups.entrySet()) {
                try {
                    Files.move(b.getValue(), b.getKey(), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException restore) {
                    kept.append(' ').append(b.getValue());
                }
            }
            for (Path tmp : staged.values()) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a left-over .new file holds nothing the old files lack
                }
            }
            throw new WalletException("Changing the password failed in " + folder + ": " + e.getMessage()
                    + (kept.length() == 0 ? ". Nothing changed: the old password still opens the wallet"
                    : ". Restore these files by removing their .old ending:" + kept), e);
        }
        for (Path old : backups.values()) {
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                // the old copy is encrypted under the old password: harmless, removed on the next change
            }
        }
    }

    /** The seed file: the phrase's entropy sealed exactly like a keystore's key (scrypt + AES-128-CTR + MAC). */
    private String sealedSeed(Mnemonic mnemonic, Secret password) {
        byte[] entropy = mnemonic.entropy();
        try {
            ObjectNode seed = JSON.createObjectNode();
            seed.put("version", 1);
            seed.put("kind", "bip39-entropy");
            seed.put("words", mnemonic.size());
            seed.set("crypto", keystore.seal(entropy, password));
            return seed.toPrettyString();
        } finally {
            Secret.wipe(entropy);
        }
    }

    private void checkPassword(Secret password) {
        if (hasRecoveryPhrase()) {
            openRecoveryPhrase(password).close();
            return;
        }
        Account any = accounts.stream().filter(Account::canSign).findFirst().orElseThrow();
        keystore.read(folder.resolve(KEYSTORES).resolve(any.keystoreFile()), password).close();
    }

    private static void requirePassword(Secret password) {
        if (password == null || password.isEmpty()) {
            throw new WalletException("Choose a password: the wallet's keys are never stored unencrypted");
        }
    }

    private Account require(Address address) {
        return find(address).orElseThrow(() -> new WalletException("The address " + address
                + " is not in this wallet"));
    }

    private String writeKeystore(PrivateKey key, Secret password) {
        Path dir = folder.resolve(KEYSTORES);
        Folders.ensureWritable(dir);
        restrictFolder(dir);
        String name = "UTC--" + GETH_TIME.format(clock.instant()) + "--" + key.address().lowercase().substring(2)
                + ".json";
        keystore.write(dir.resolve(name), key, password);
        return name;
    }

    private void load() {
        Path file = folder.resolve(ACCOUNTS);
        if (!Files.exists(file)) {
            return;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            for (JsonNode a : root.path("accounts")) {
                accounts.add(new Account(Address.parse(a.path("address").asText()), a.path("label").asText(""),
                        Account.Kind.valueOf(a.path("kind").asText()),
                        a.hasNonNull("index") ? a.get("index").asInt() : null,
                        a.hasNonNull("keystore") ? a.get("keystore").asText() : null));
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new WalletException("The wallet's account list " + file + " is damaged: " + e.getMessage()
                    + ". Keystores in " + folder.resolve(KEYSTORES) + " are untouched and can be imported again", e);
        }
    }

    private void save() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ArrayNode list = root.putArray("accounts");
        for (Account a : accounts) {
            ObjectNode n = list.addObject();
            n.put("address", a.address().toString());
            n.put("label", a.label());
            n.put("kind", a.kind().name());
            if (a.hdIndex() != null) {
                n.put("index", a.hdIndex());
            }
            if (a.keystoreFile() != null) {
                n.put("keystore", a.keystoreFile());
            }
        }
        Keystore.writeOwnerOnly(folder.resolve(ACCOUNTS), root.toPrettyString());
    }

    private static void restrictFolder(Path dir) {
        try {
            if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException e) {
            throw new WalletException("Cannot make the wallet folder " + dir + " private: " + e.getMessage(), e);
        }
    }
}
