package org.openledger.studio.ui.shell;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import org.openledger.studio.ui.tasks.BackgroundTask;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;
import org.openledger.studio.ui.nodes.NodeRow;
import org.openledger.studio.ui.nodes.NodesViewModel;
import org.openledger.studio.ui.nodes.StateBadge;
import org.openledger.studio.ui.tasks.BackgroundTasks;

/** The bottom line of the window: the active node, the chain, and work running in the background. */
public final class StatusBar extends HBox {

    private final StateBadge nodeBadge = new StateBadge();
    private final Label nodeName = new Label();
    private final Label jobs = new Label();
    private final ProgressBar jobProgress = new ProgressBar();
    private final BackgroundTasks tasks;
    private final javafx.beans.value.ChangeListener<org.openledger.studio.ui.nodes.ConnectionState> stateListener =
            (o, a, b) -> nodeBadge.show(b);
    private NodeRow shownRow;

    public StatusBar(NodesViewModel<?> nodes, BackgroundTasks tasks, String chainStatus, Runnable toggleTheme) {
        this.tasks = tasks;
        getStyleClass().add("status-bar");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(10);

        nodeName.setId("status-node");
        nodeBadge.setId("status-node-state");
        nodes.activeProperty().addListener((o, a, b) -> bindNode(b));
        bindNode(nodes.activeProperty().get());

        Label chain = new Label(chainStatus);
        chain.setId("status-chain");
        chain.getStyleClass().add("text-muted");
        chain.setGraphic(new FontIcon(MaterialDesignL.LINK_VARIANT));

        jobs.setId("status-jobs");
        jobs.getStyleClass().add("text-muted");
        jobProgress.setId("status-job-progress");
        jobProgress.setPrefWidth(140);
        tasks.running().addListener((ListChangeListener<BackgroundTask<?>>) c -> showJobs());
        showJobs();

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button theme = new Button(null, new FontIcon(MaterialDesignL.LIGHTBULB_ON_OUTLINE));
        theme.setId("toggle-theme");
        theme.getStyleClass().addAll("flat", "button-icon");
        theme.setTooltip(new Tooltip("Switch between light and dark theme"));
        theme.setOnAction(e -> toggleTheme.run());

        // a long chain message (e.g. why the local chain failed) is the one to be cut short, with the whole text in
        // its tooltip; the node, its state and the jobs keep their width
        Tooltip chainTip = new Tooltip();
        chainTip.textProperty().bind(chain.textProperty());
        chain.setTooltip(chainTip);
        chain.setMinWidth(0);
        HBox.setHgrow(chain, Priority.SOMETIMES);
        Label nodeLabel = new Label("Node:");
        for (javafx.scene.control.Control fixed : List.of(nodeLabel, nodeName, jobs)) {
            fixed.setMinWidth(Region.USE_PREF_SIZE);
        }
        nodeBadge.setMinWidth(Region.USE_PREF_SIZE);
        getChildren().addAll(nodeLabel, nodeName, nodeBadge, separator(), chain, separator(), jobs,
                jobProgress, spacer, theme);
    }

    private void bindNode(NodeRow row) {
        if (shownRow != null) {
            shownRow.stateProperty().removeListener(stateListener);
        }
        shownRow = row;
        nodeName.textProperty().unbind();
        if (row == null) {
            nodeName.setText("none");
            nodeBadge.show(null);
            return;
        }
        nodeName.textProperty().bind(Bindings.createStringBinding(() -> row.entry().name(), row.entryProperty()));
        nodeBadge.show(row.state());
        row.stateProperty().addListener(stateListener);
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(row.detailProperty());
        nodeBadge.setTooltip(tip);
    }

    private void showJobs() {
        var running = tasks.running();
        jobProgress.progressProperty().unbind();
        if (running.isEmpty()) {
            jobs.textProperty().unbind();
            jobs.setText("No jobs running");
            jobProgress.setVisible(false);
            jobProgress.setManaged(false);
            return;
        }
        BackgroundTask<?> first = running.get(0);
        jobs.textProperty().bind(Bindings.createStringBinding(() -> {
            String t = first.getTitle() == null || first.getTitle().isEmpty() ? "Working" : first.getTitle();
            return running.size() == 1 ? t : t + " (+" + (running.size() - 1) + " more)";
        }, first.titleProperty()));
        jobProgress.progressProperty().bind(first.progressProperty());
        jobProgress.setVisible(true);
        jobProgress.setManaged(true);
    }

    private static Label separator() {
        Label l = new Label("·");
        l.getStyleClass().add("text-muted");
        return l;
    }
}
