package org.openledger.studio.viewer;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.HPos;
import javafx.geometry.VPos;
import javafx.scene.Group;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.shape.Path;
import javafx.scene.shape.PathElement;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.util.Duration;
import org.openledger.studio.api.attribution.AttributionRecord;
import org.openledger.studio.api.attribution.AttributionRecord.Span;

/**
 * An answer with the parts found verbatim in the node's rows highlighted: one {@link Text} per piece of
 * {@link Coverage}, and behind the flow one shape per matched piece (from {@link TextFlow#rangeShape}, so a
 * highlight follows the text across line breaks). The colour is the record's leading Datanet's; its strength says
 * how long the match is. Hovering a matched piece shows its spans and the rows holding them.
 */
public final class AttributedText extends Region {

    private final TextFlow flow = new TextFlow();
    private final Group highlights = new Group();
    private final List<Coverage.Piece> pieces = new ArrayList<>();
    private String colour = Palette.styleClass(null);

    public AttributedText() {
        getStyleClass().add("attributed-text");
        flow.getStyleClass().add("attributed-flow");
        highlights.setManaged(false);
        highlights.setMouseTransparent(true);
        getChildren().addAll(highlights, flow);
    }

    /** Shows {@code record}'s completion and spans. */
    public void show(AttributionRecord record) {
        show(record.completion(), record.spans(), Palette.leadingDatanet(record));
    }

    public void show(String completion, List<Span> spans, String leadingDatanet) {
        colour = Palette.styleClass(leadingDatanet);
        pieces.clear();
        pieces.addAll(Coverage.pieces(completion, spans));
        flow.getChildren().clear();
        for (Coverage.Piece p : pieces) {
            Text t = new Text(p.text());
            t.getStyleClass().add("attr-piece");
            if (p.matched()) {
                t.getStyleClass().add("attr-matched");
                Tooltip tip = new Tooltip(describe(p));
                tip.setShowDelay(Duration.millis(150));
                tip.setWrapText(true);
                tip.setMaxWidth(520);
                tip.getStyleClass().add("attr-tooltip");
                Tooltip.install(t, tip);
            }
            flow.getChildren().add(t);
        }
        requestLayout();
    }

    /** The pieces shown, in order (for tests and views that list them). */
    public List<Coverage.Piece> pieces() {
        return List.copyOf(pieces);
    }

    @Override
    protected void layoutChildren() {
        double x = snappedLeftInset();
        double y = snappedTopInset();
        double w = getWidth() - x - snappedRightInset();
        double h = getHeight() - y - snappedBottomInset();
        layoutInArea(flow, x, y, w, h, 0, HPos.LEFT, VPos.TOP);
        List<Path> shapes = new ArrayList<>();
        for (Coverage.Piece p : pieces) {
            if (!p.matched()) {
                continue;
            }
            PathElement[] range = flow.rangeShape(p.start(), p.end());
            if (range.length == 0) {
                continue;
            }
            Path shape = new Path(range);
            shape.getStyleClass().addAll("attr-highlight", colour, "attr-strength-" + p.strength());
            shape.setLayoutX(flow.getLayoutX());
            shape.setLayoutY(flow.getLayoutY());
            shapes.add(shape);
        }
        highlights.getChildren().setAll(shapes);
    }

    @Override
    protected double computePrefWidth(double height) {
        return flow.prefWidth(height) + snappedLeftInset() + snappedRightInset();
    }

    @Override
    protected double computePrefHeight(double width) {
        double inner = width < 0 ? -1 : width - snappedLeftInset() - snappedRightInset();
        return flow.prefHeight(inner) + snappedTopInset() + snappedBottomInset();
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    /** What hovering a matched piece says: each span covering it, how often it occurs, and rows holding it. */
    public static String describe(Coverage.Piece piece) {
        StringBuilder b = new StringBuilder();
        b.append(piece.spans().size() == 1 ? "1 span" : piece.spans().size() + " spans")
                .append(" found verbatim in the node's rows");
        for (Span s : piece.spans()) {
            b.append("\n\n\"").append(Formats.firstLines(s.text(), 2, 80)).append("\"  — ")
                    .append(s.count() == 1 ? "1 occurrence" : s.count() + " occurrences");
            List<AttributionRecord.SpanSource> sources = s.sources() == null ? List.of() : s.sources();
            for (AttributionRecord.SpanSource src : sources.subList(0, Math.min(3, sources.size()))) {
                b.append("\n  ").append(src.source());
                if (src.datanetId() != null) {
                    b.append(" · Datanet ").append(src.datanetId());
                }
                if (src.contributor() != null) {
                    b.append(" · ").append(Formats.shortAddress(src.contributor()));
                }
                if (src.text() != null) {
                    b.append("\n    ").append(Formats.firstLines(src.text(), 1, 90));
                }
            }
            if (sources.size() > 3) {
                b.append("\n  … and ").append(sources.size() - 3).append(" more rows");
            }
        }
        return b.toString();
    }
}
