package org.openledger.studio.ui.finetune;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.openledger.studio.api.finetune.FineTuneApi;
import org.openledger.studio.ui.nodes.ActiveNode;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.api.finetune.AdapterFiles;
import org.openledger.studio.api.finetune.FineTuneJob;
import org.openledger.studio.ui.tasks.BackgroundTasks;
import org.openledger.studio.ui.wallet.ReviewedCalls;
import org.openledger.studio.wallet.Address;
import org.openledger.studio.wallet.registry.AdapterPublication;
import org.openledger.studio.wallet.registry.PublicationRefusedException;

/**
 * Publishing the shown job's adapter to the {@code ModelRegistry} ({@link AdapterPublication}) through the wallet's
 * review: the content hash from the node's file listing (no download), the job's base model, its Datanets when
 * they are on-chain ids; checked off the FX thread (a hash already published or an unknown Datanet is refused before
 * anything is signed), then reviewed, signed and broadcast in the wallet's pane; the adapter id from the mined
 * {@code AdapterPublished} event. What happened stays with its job while others are shown.
 */
public final class Publishing {

    /** How long the wallet's watcher waits for the publication to be mined. */

    private final ActiveNode<FineTuneApi> activeNode;
    private final BackgroundTasks tasks;
    private final ReviewedCalls chain;
    private final ReadOnlyObjectProperty<FineTuneJob> job;
    private final StringProperty blocker = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty failed = new SimpleBooleanProperty(false);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    /** The last outcome per job id (message, failed). */
    private final Map<String, Map.Entry<String, Boolean>> outcomes = new HashMap<>();

    Publishing(ActiveNode<FineTuneApi> activeNode, BackgroundTasks tasks, ReviewedCalls chain,
               ReadOnlyObjectProperty<FineTuneJob> job, List<Observable> chainChanges) {
        this.activeNode = activeNode;
        this.tasks = tasks;
        this.chain = chain;
        this.job = job;
        job.addListener((o, a, b) -> {
            if (a == null || b == null || !a.id().equals(b.id()) || !a.status().equals(b.status())) {
                shown(b);
            }
        });
        for (Observable c : chainChanges) {
            c.addListener(x -> check());
        }
        shown(job.get());
    }

    /** Why the shown job's adapter cannot be published now (the button is disabled); empty when it can. */
    public StringProperty blockerProperty() {
        return blocker;
    }

    /** What publishing the shown job's adapter did or is doing; empty when nothing was tried. */
    public StringProperty messageProperty() {
        return message;
    }

    /** True when {@link #messageProperty()} says why it did not publish. */
    public BooleanProperty failedProperty() {
        return failed;
    }

    /** True from the check until the publication is mined or the review is left. */
    public BooleanProperty busyProperty() {
        return busy;
    }

    private void shown(FineTuneJob j) {
        Map.Entry<String, Boolean> o = j == null ? null : outcomes.get(j.id());
        message.set(o == null ? "" : o.getKey());
        failed.set(o != null && o.getValue());
        check();
    }

    /** Works out {@link #blockerProperty()} for the shown job and the wallet as they are now. */
    public void check() {
        blocker.set(blocker(job.get()));
    }

    private String blocker(FineTuneJob j) {
        if (j == null || !"succeeded".equals(j.status()) || j.fineTunedModel() == null) {
            return "Only a job that succeeded has an adapter to publish";
        }
        if (chain == null) {
            return "Publishing needs the studio's wallet (Wallet & Staking), which cannot be used here";
        }
        if (chain.readyChain().isEmpty()) {
            return "Publishing needs the active node's chain to be ready (see the status bar)";
        }
        try {
            chain.unlockedAccount();
        } catch (IllegalStateException e) {
            return e.getMessage().replace("to sign it", "to publish");
        }
        return "";
    }

    /** Checks the shown job's publication off the FX thread, then opens the wallet's review of it. */
    public void publish() {
        FineTuneJob j = job.get();
        check();
        if (busy.get() || j == null) {
            return;
        }
        if (!blocker.get().isEmpty()) {
            outcome(j.id(), blocker.get(), true);
            return;
        }
        Optional<? extends FineTuneApi> node = activeNode.get();
        Optional<ChainInfo> c = chain.readyChain();
        if (node.isEmpty() || c.isEmpty()) {
            outcome(j.id(), node.isEmpty() ? "No node is connected." : "The chain is not ready.", true);
            return;
        }
        Address from = chain.unlockedAccount();
        busy.set(true);
        outcome(j.id(), "Checking " + j.fineTunedModel() + " for publishing…", false);
        tasks.create("Checking " + j.fineTunedModel() + " for publishing", p -> {
            AdapterFiles files = node.get().adapterFiles(j.fineTunedModel());
            Map<String, String> sha = new LinkedHashMap<>();
            files.files().forEach(f -> sha.put(f.name(), f.sha256()));
            byte[] hash = AdapterPublication.contentHashFromListing(sha);
            List<BigInteger> ids;
            String note = "";
            try {
                ids = AdapterPublication.datanetIds(j.datanets());
            } catch (PublicationRefusedException e) {
                ids = List.of();
                note = " Published without Datanets: " + e.getMessage() + ".";
            }
            AdapterPublication pub = new AdapterPublication(chain.client(c.get()), c.get().contracts());
            return new Prepared(pub, pub.request(from, hash, j.model(), ids), note);
        }).onSuccess(prep -> {
            outcome(j.id(), "Review the publication below: Sign, then Broadcast." + prep.note(), false);
            AtomicReference<AdapterPublication.Published> done = new AtomicReference<>();
            AtomicReference<String> failure = new AtomicReference<>();
            AdapterPublication.Call call = prep.request().call();
            chain.start(List.of(new ReviewedCalls.Call(call.description(), call.to(), call.data(), (outbox, tx) -> {
                try {
                    return prep.publication().settle(outbox, tx, ReviewedCalls.SETTLE_TIMEOUT, done::set);
                } catch (RuntimeException e) {
                    failure.set(NodeFailures.message(e));
                    throw e;
                }
            })), () -> {
                busy.set(false);
                AdapterPublication.Published p = done.get();
                if (p != null) {
                    outcome(j.id(), "Published as adapter " + p.adapterId() + " (hash " + p.contentHashHex()
                            + ", block " + p.block() + ")." + prep.note(), false);
                } else if (failure.get() != null) {
                    outcome(j.id(), "Not published: " + failure.get(), true);
                } else {
                    outcome(j.id(), "Not published: the review was cancelled or could not be prepared (Wallet &"
                            + " Staking says why).", true);
                }
                check();
            });
        }).onError(e -> {
            busy.set(false);
            outcome(j.id(), e instanceof PublicationRefusedException ? e.getMessage()
                    : "Cannot publish: " + NodeFailures.message(e), true);
        }).start();
    }

    private void outcome(String jobId, String text, boolean failure) {
        outcomes.put(jobId, Map.entry(text, failure));
        FineTuneJob j = job.get();
        if (j != null && j.id().equals(jobId)) {
            message.set(text);
            failed.set(failure);
        }
    }

    private record Prepared(AdapterPublication publication, AdapterPublication.Request request, String note) {
    }
}
