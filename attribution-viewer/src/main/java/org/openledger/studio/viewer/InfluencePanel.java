package org.openledger.studio.viewer;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.geometry.Pos;
import javafx.scene.chart.PieChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.AttributionRecord.Influence;

/**
 * The training rows that shaped an answer most, by gradient influence: per row a score bar (relative to the top row),
 * its share, Datanet, contributor and text, and "Open in Datanets" for rows of a Datanet; then the shares per Datanet
 * and per contributor as charts.
 */
public final class InfluencePanel extends VBox {

    private final Consumer<Influence> openInDatanets;
    private final VBox rows = new VBox(6);
    private final HBox charts = new HBox(12);

    /** @param openInDatanets shows a row's Datanet in the Datanets section; null hides the button */
    public InfluencePanel(Consumer<Influence> openInDatanets) {
        super(10);
        this.openInDatanets = openInDatanets;
        getStyleClass().add("influence-panel");
        Palette.style(this);
        rows.setId("influence-rows");
        Label title = new Label("Most influential training rows");
        title.getStyleClass().add("attr-heading");
        Label charted = new Label("Shares of the answer");
        charted.getStyleClass().add("attr-heading");
        getChildren().addAll(title, rows, charted, charts);
    }

    public void show(AttributionRecord record) {
        List<Influence> influence = record.influence() == null ? List.of() : record.influence();
        double top = influence.stream().mapToDouble(Influence::score).max().orElse(0);
        rows.getChildren().clear();
        if (influence.isEmpty()) {
            rows.getChildren().add(muted("No rows were scored."));
        }
        for (int i = 0; i < influence.size(); i++) {
            rows.getChildren().add(row(i + 1, influence.get(i), top));
        }
        charts.getChildren().setAll(chart("Per Datanet", ShareSlices.perDatanet(record), "share-datanets"),
                chart("Per contributor", ShareSlices.perContributor(record), "share-contributors"));
        charts.getChildren().forEach(c -> HBox.setHgrow(c, Priority.ALWAYS));
    }

    private VBox row(int rank, Influence r, double top) {
        ProgressBar bar = new ProgressBar(top > 0 && r.score() > 0 ? r.score() / top : 0);
        bar.getStyleClass().add("attr-score-bar");
        bar.setPrefWidth(90);
        bar.setTooltip(new Tooltip(String.format(Locale.ROOT, "Influence score %.4g (%s of the top row's)", r.score(),
                top > 0 ? Formats.percent(Math.max(0, r.score()) / top) : "—")));
        Label share = new Label(Formats.percent(r.share()));
        share.getStyleClass().add("influence-share");
        Label source = new Label(r.source());
        source.getStyleClass().add("influence-source");
        boolean inDatanet = r.datanetId() != null && !r.datanetId().isBlank();
        Label datanet = new Label(inDatanet ? "Datanet " + r.datanetId() : "inline training data");
        datanet.getStyleClass().addAll("influence-datanet", Palette.styleClass(r.datanetId()));
        Label contributor = new Label(Formats.shortAddress(r.contributor()));
        contributor.getStyleClass().add("text-muted");
        if (r.contributor() != null) {
            contributor.setTooltip(new Tooltip(r.contributor()));
        }
        Region grow = new Region();
        Label number = new Label("#" + rank);
        number.getStyleClass().add("text-muted");
        HBox head = new HBox(8, number, bar, share, source, datanet, contributor);
        head.setAlignment(Pos.CENTER_LEFT);
        // a narrow panel wraps the row text, never the facts
        head.getChildren().forEach(n -> {
            if (n instanceof Region region) {
                region.setMinWidth(Region.USE_PREF_SIZE);
            }
        });
        Label text = new Label(Formats.firstLines(r.text(), 3, 160));
        text.setWrapText(true);
        text.getStyleClass().add("influence-text");
        HBox.setHgrow(text, Priority.ALWAYS);
        text.setMaxWidth(Double.MAX_VALUE);
        HBox below = new HBox(8, text, grow);
        below.setAlignment(Pos.TOP_LEFT);
        if (openInDatanets != null) {
            Button open = new Button("Open in Datanets");
            open.getStyleClass().addAll("small", "flat");
            open.setMinWidth(Region.USE_PREF_SIZE);
            open.setDisable(!inDatanet);
            open.setOnAction(e -> openInDatanets.accept(r));
            below.getChildren().add(open);
        }
        VBox box = new VBox(3, head, below);
        box.getStyleClass().add("influence-row");
        return box;
    }

    private static Region chart(String title, List<ShareSlices.Slice> slices, String id) {
        if (slices.isEmpty()) {
            Label none = muted(title + ": no row had a positive influence.");
            none.setId(id);
            return none;
        }
        PieChart pie = new PieChart(FXCollections.observableArrayList(slices.stream()
                .map(s -> new PieChart.Data(s.label() + "  " + Formats.percent(s.share()), s.share())).toList()));
        pie.setId(id);
        pie.setTitle(title);
        pie.setAnimated(false);
        pie.setLabelsVisible(false);
        pie.setLegendVisible(true);
        pie.setPrefSize(300, 220);
        pie.setMinHeight(200);
        pie.getStyleClass().add("attr-share-chart");
        return pie;
    }

    private static Label muted(String s) {
        Label l = new Label(s);
        l.getStyleClass().add("text-muted");
        l.setWrapText(true);
        return l;
    }
}
