package org.openledger.studio.ui.wallet;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.openledger.studio.api.chain.ChainInfo;
import org.openledger.studio.wallet.Account;

/** The history of Wallet &amp; Staking: every transaction this wallet signed for the selected account. */
final class WalletHistory {

    private final WalletContext ctx;
    private final ObservableList<HistoryRow> rows = FXCollections.observableArrayList();

    WalletHistory(WalletContext ctx) {
        this.ctx = ctx;
    }

    /** Newest first. */
    ObservableList<HistoryRow> rows() {
        return rows;
    }

    /** Whether a transaction of the history is still pending (so it can be sped up or cancelled). */
    boolean anyPending() {
        return rows.stream().anyMatch(HistoryRow::replaceable);
    }

    /** Reads every transaction this wallet signed for the selected account, statuses brought up to date. */
    void refresh() {
        if (ctx.closed()) {
            return;
        }
        Account a = ctx.selected.get();
        ChainInfo c = ctx.chainInfo();
        if (a == null || c == null || !c.isReady()) {
            rows.clear();
            return;
        }
        ctx.tasks.create("Reading the history", progress -> {
            ChainSession s = ctx.session(c);
            return s.outbox.history(a.address()).stream().map(t -> HistoryRow.of(t, s.decoder)).toList();
        }).onSuccess(read -> {
            if (a.equals(ctx.selected.get())) {
                rows.setAll(read);
            }
        }).onError(e -> ctx.message.set("Reading the history failed: " + e.getMessage())).start();
    }
}
