package org.openledger.studio.ui.attribution;

import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.openledger.studio.api.rewards.EarningsApi;
import org.openledger.studio.ui.nodes.ActiveNode;
import org.openledger.studio.api.NodeClientException;
import org.openledger.studio.api.rewards.Earnings;
import org.openledger.studio.api.rewards.EarningsCsv;
import org.openledger.studio.api.rewards.RewardCredits;
import org.openledger.studio.api.rewards.RewardEpoch;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.openledger.studio.ui.wallet.Rewards;
import org.openledger.studio.ui.wallet.WalletViewModel;
import org.openledger.studio.wallet.Account;
import org.openledger.studio.wallet.Open;

/**
 * What one of the wallet's accounts earned on the active node: in total, settled, not yet settled and claimable now
 * (the wallet's {@link Rewards}), per epoch, per role and per model (each attribution record's model read once and
 * kept), a CSV of its credits, and Claim through the wallet's review. The node is asked on background tasks only.
 */
public final class EarningsViewModel {

    /** The roles a fee is split into, always listed (zero when the account has none). */
    static final List<String> ROLES = List.of("contributor", "owner", "staker", "platform");

    /** A name (role, model or epoch) and its amount in wei. */
    public record Share(String name, BigInteger wei) {
        public String open() {
            return Open.ofWei(wei).toOpenString(4) + " OPEN";
        }
    }

    private final ActiveNode<EarningsApi> node;
    private final BackgroundTasks tasks;
    private final WalletViewModel wallet;
    private final ObjectProperty<Account> account = new SimpleObjectProperty<>();
    private final Rewards rewards;
    private final StringProperty total = new SimpleStringProperty("–");
    private final StringProperty settled = new SimpleStringProperty("–");
    private final StringProperty unsettled = new SimpleStringProperty("–");
    private final ObservableList<Share> epochs = FXCollections.observableArrayList();
    private final ObservableList<Share> byRole = FXCollections.observableArrayList();
    private final ObservableList<Share> byModel = FXCollections.observableArrayList();
    private final ObservableList<Share> byDatanet = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("");
    private final BooleanProperty loading = new SimpleBooleanProperty(false);
    private final BooleanProperty hasCredits = new SimpleBooleanProperty(false);
    private final Map<String, String> models = new ConcurrentHashMap<>();
    private final BooleanBinding canClaim;
    private final BooleanBinding otherThanWallet;
    private List<EarningsCsv.Line> lines = List.of();
    private long reads;

    public EarningsViewModel(ActiveNode<EarningsApi> node, BackgroundTasks tasks, WalletViewModel wallet) {
        this.node = node;
        this.tasks = tasks;
        this.wallet = wallet;
        this.rewards = new Rewards(node, tasks, wallet, account);
        account.set(wallet.selectedProperty().get());
        account.addListener((o, a, b) -> refresh());
        wallet.selectedProperty().addListener((o, a, b) -> {
            if (account.get() == null) {
                account.set(b);
            }
        });
        otherThanWallet = Bindings.createBooleanBinding(() -> account.get() != null
                && !account.get().equals(wallet.selectedProperty().get()), account, wallet.selectedProperty());
        // as the wallet does: something to claim, this account selected and unlocked there, no other review under way
        canClaim = Bindings.createBooleanBinding(() -> rewards.hasClaimable() && account.get() != null
                        && account.get().equals(wallet.selectedProperty().get()) && wallet.unlockedProperty().get()
                        && !rewards.busyProperty().get() && !wallet.busyProperty().get()
                        && wallet.pendingProperty().get() == null, rewards.proofProperty(), account,
                wallet.selectedProperty(), wallet.unlockedProperty(), rewards.busyProperty(), wallet.busyProperty(),
                wallet.pendingProperty());
        // a claim that was mined changes what is claimable: the wallet's Rewards re-reads it, the rest follows
        rewards.outcomeProperty().addListener((o, a, b) -> {
            if (b != null && b.startsWith("Received")) {
                refresh();
            }
        });
    }

    public ObservableList<Account> accounts() {
        return wallet.accounts();
    }

    /** The account shown; the wallet's selected one at first. */
    public ObjectProperty<Account> accountProperty() {
        return account;
    }

    public Rewards rewards() {
        return rewards;
    }

    public StringProperty totalProperty() {
        return total;
    }

    public StringProperty settledProperty() {
        return settled;
    }

    public StringProperty unsettledProperty() {
        return unsettled;
    }

    /** What each posted epoch settled for the account, oldest first; the name is the epoch number. */
    public ObservableList<Share> epochs() {
        return epochs;
    }

    public ObservableList<Share> byRole() {
        return byRole;
    }

    /** A contributor's credits by the Datanet whose rows earned them. */
    public ObservableList<Share> byDatanet() {
        return byDatanet;
    }

    public ObservableList<Share> byModel() {
        return byModel;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public BooleanProperty loadingProperty() {
        return loading;
    }

    /** Whether Claim can start now. */
    public BooleanBinding canClaimProperty() {
        return canClaim;
    }

    /** Whether the account shown is not the one selected in Wallet &amp; Staking (which is the one that signs). */
    public BooleanBinding otherThanWalletProperty() {
        return otherThanWallet;
    }

    private record Loaded(Earnings earnings, List<EarningsCsv.Line> lines, Map<String, BigInteger> byModel) {
    }

    /** Reads the account's credits, the node's epochs and the models of its records, then its claimable amount. */
    public void refresh() {
        Account a = account.get();
        Optional<? extends EarningsApi> client = node.get();
        long read = ++reads;
        rewards.refresh();
        if (a == null || client.isEmpty()) {
            clear();
            status.set(a == null ? "No account: create or import one in Wallet & Staking."
                    : "No node is connected yet: earnings come from the active node.");
            return;
        }
        String address = a.address().toString();
        loading.set(true);
        status.set("Reading the earnings of " + address + "…");
        tasks.create("Reading earnings", p -> load(client.get(), address)).onSuccess(l -> {
            if (read != reads) {
                return;
            }
            show(l);
            status.set(l.lines().isEmpty() ? "Nothing earned on this node yet: attributed inferences of its models "
                    + "credit their owner, stakers and contributors." : l.lines().size() + " credits");
        }).onError(e -> {
            if (read == reads) {
                clear();
                status.set("Could not read the earnings: " + e.getMessage());
            }
        }).andFinally(() -> {
            if (read == reads) {
                loading.set(false);
            }
        }).start();
    }

    private Loaded load(EarningsApi client, String address) {
        RewardCredits credits = client.rewardCredits(address);
        List<RewardEpoch> posted = client.rewardEpochs().data();
        Earnings e = Earnings.of(address, credits, posted);
        Map<String, BigInteger> perModel = new LinkedHashMap<>();
        for (Map.Entry<String, String> r : e.byRecord().entrySet()) {
            perModel.merge(modelOf(client, r.getKey()), new BigInteger(r.getValue()), BigInteger::add);
        }
        BigInteger operator = new BigInteger(e.byRole().getOrDefault(Earnings.OPERATOR, "0"));
        if (operator.signum() > 0) {
            perModel.merge(EarningsCsv.NOT_ATTRIBUTED, operator, BigInteger::add);
        }
        return new Loaded(e, EarningsCsv.lines(address, credits, posted, models), perModel);
    }

    /** A record's model, asked of the node once (records do not change their model). */
    private String modelOf(EarningsApi client, String recordId) {
        String known = models.get(recordId);
        if (known != null) {
            return known;
        }
        try {
            String m = client.attribution(recordId).model();
            models.put(recordId, m == null ? "(unknown model)" : m);
            return models.get(recordId);
        } catch (NodeClientException x) {
            return x.status() == 404 ? "(record not found)" : "(record unreadable)";
        }
    }

    private void show(Loaded l) {
        Earnings e = l.earnings();
        total.set(open(e.totalWei()));
        settled.set(open(e.settledWei()));
        unsettled.set(open(e.unsettledWei()));
        epochs.setAll(e.epochs().stream().map(x -> new Share(Long.toString(x.epoch()), new BigInteger(x.earnedWei())))
                .toList());
        Map<String, BigInteger> roles = new LinkedHashMap<>();
        ROLES.forEach(r -> roles.put(r, BigInteger.ZERO));
        e.byRole().forEach((r, w) -> roles.merge(r, new BigInteger(w), BigInteger::add));
        byRole.setAll(roles.entrySet().stream().map(x -> new Share(x.getKey(), x.getValue())).toList());
        byModel.setAll(l.byModel().entrySet().stream().map(x -> new Share(x.getKey(), x.getValue()))
                .sorted((x, y) -> y.wei().compareTo(x.wei())).toList());
        byDatanet.setAll(e.byDatanet().entrySet().stream().map(x -> new Share("Datanet " + x.getKey(),
                new BigInteger(x.getValue()))).sorted((x, y) -> y.wei().compareTo(x.wei())).toList());
        lines = l.lines();
        hasCredits.set(!lines.isEmpty());
    }

    private void clear() {
        total.set("–");
        settled.set("–");
        unsettled.set("–");
        epochs.clear();
        byRole.clear();
        byModel.clear();
        byDatanet.clear();
        lines = List.of();
        hasCredits.set(false);
        loading.set(false);
    }

    /** Whether there are credits to export. */
    public BooleanProperty hasCreditsProperty() {
        return hasCredits;
    }

    /** Writes the account's credits as read last to {@code file} as CSV, on a background task. */
    public void export(Path file) {
        List<EarningsCsv.Line> shown = lines;
        tasks.create("Exporting earnings", p -> {
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                return EarningsCsv.write(shown, w);
            }
        }).onSuccess(n -> status.set("Exported " + n + " credits to " + file))
                .onError(e -> status.set("Could not export to " + file + ": " + e.getMessage())).start();
    }

    /** Claims what the account can claim now, through the wallet's review. */
    public void claim() {
        rewards.claim();
    }

    private static String open(String wei) {
        return Open.ofWei(new BigInteger(wei)).toOpenString(4) + " OPEN";
    }
}
