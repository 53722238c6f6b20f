package org.openledger.studio.ui.shell;

import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignG;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;
import org.kordamp.ikonli.materialdesign2.MaterialDesignT;
import org.kordamp.ikonli.materialdesign2.MaterialDesignW;

/** The studio's sections, in the order of the navigation. */
public enum Section {
    DATANETS("Datanets", MaterialDesignD.DATABASE_OUTLINE,
            "Curate data into Datanets: ingest files, find duplicates and secrets before anyone else does, sign and"
                    + " upload contributions, and follow them on chain."),
    FINE_TUNE("Fine-tune", MaterialDesignT.TUNE_VARIANT,
            "Train LoRA adapters on Datanets, on this computer or a rented GPU node, with live loss charts,"
                    + " checkpoints, cancel and resume."),
    PLAYGROUND("Playground", MaterialDesignC.CHAT_OUTLINE,
            "Chat with the base model or any adapter, compare two side by side and see each token's probability."),
    ATTRIBUTION("Attribution", MaterialDesignG.GRAPH_OUTLINE,
            "See which contributions shaped an answer, span by span and by gradient influence, and how its fee"
                    + " is split."),
    WALLET("Wallet & Staking", MaterialDesignW.WALLET_OUTLINE,
            "Hold OPEN in an encrypted wallet, stake behind Datanets, models and nodes, and claim rewards —"
                    + " every transaction reviewed before you sign it."),
    NODES("Nodes", MaterialDesignS.SERVER_NETWORK,
            "The node this studio runs, and remote nodes (rented GPU boxes) you add with their URL and token.");

    private final String title;
    private final Ikon icon;
    private final String summary;

    Section(String title, Ikon icon, String summary) {
        this.title = title;
        this.icon = icon;
        this.summary = summary;
    }

    public String title() {
        return title;
    }

    public Ikon icon() {
        return icon;
    }

    public String summary() {
        return summary;
    }

    /** The section named {@code name}, or NODES when the name is unknown (e.g. from an old settings file). */
    public static Section parse(String name) {
        for (Section s : values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return NODES;
    }
}
