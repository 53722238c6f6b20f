package org.openledger.studio.ui.shell;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.openledger.studio.ui.shell.Notices.Notice;

/**
 * The main window's content: navigation on the left, the current section in the middle, notices on top and the
 * status bar at the bottom. Section views are built on first visit.
 */
public final class Shell extends BorderPane {

    private final Map<Section, ToggleButton> buttons = new EnumMap<>(Section.class);
    private final Map<Section, Node> views = new EnumMap<>(Section.class);
    private final StackPane content = new StackPane();
    private final Function<Section, Node> viewFactory;
    private final VBox noticeArea = new VBox();
    private final java.util.function.Consumer<Section> onShow;
    private Section current;

    public Shell(Function<Section, Node> viewFactory, Notices notices, StatusBar statusBar,
                 java.util.function.Consumer<Section> onShow) {
        this.viewFactory = viewFactory;
        this.onShow = onShow;
        getStyleClass().add("studio-shell");
        setLeft(navigation());
        content.getStyleClass().add("section-content");
        setCenter(content);
        noticeArea.setId("notices");
        noticeArea.getStyleClass().add("notice-area");
        notices.items().addListener((ListChangeListener<Notice>) c -> renderNotices(notices));
        renderNotices(notices);
        setTop(noticeArea);
        setBottom(statusBar);
    }

    private VBox navigation() {
        Label brand = new Label("OpenLedger Studio");
        brand.getStyleClass().add("brand");
        VBox nav = new VBox(4);
        nav.getStyleClass().add("navigation");
        nav.setPadding(new Insets(16, 10, 16, 10));
        nav.getChildren().add(brand);
        ToggleGroup group = new ToggleGroup();
        for (Section s : Section.values()) {
            ToggleButton b = new ToggleButton(s.title(), new FontIcon(s.icon()));
            b.setId("nav-" + s.name().toLowerCase(java.util.Locale.ROOT));
            b.getStyleClass().add("nav-button");
            b.setMaxWidth(Double.MAX_VALUE);
            b.setAlignment(Pos.CENTER_LEFT);
            b.setToggleGroup(group);
            b.setOnAction(e -> show(s));
            buttons.put(s, b);
            nav.getChildren().add(b);
        }
        // a toggle group lets the user un-press the current button; keep one pressed
        group.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null && a != null) {
                a.setSelected(true);
            }
        });
        return nav;
    }

    public Section current() {
        return current;
    }

    /** Shows {@code section}, building its view on first visit. */
    public void show(Section section) {
        Node view = views.computeIfAbsent(section, viewFactory);
        content.getChildren().setAll(view);
        buttons.get(section).setSelected(true);
        current = section;
        onShow.accept(section);
    }

    private void renderNotices(Notices notices) {
        noticeArea.getChildren().clear();
        for (Notice n : notices.items()) {
            Label text = new Label(n.text());
            text.setWrapText(true);
            text.getStyleClass().add("notice-text");
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            HBox.setHgrow(text, Priority.ALWAYS);
            Button close = new Button(null, new FontIcon(MaterialDesignC.CLOSE));
            close.getStyleClass().addAll("flat", "button-icon");
            close.setOnAction(e -> notices.dismiss(n));
            HBox box = new HBox(8, text, spacer, close);
            box.setAlignment(Pos.CENTER_LEFT);
            box.getStyleClass().addAll("notice", "notice-" + n.level().name().toLowerCase(java.util.Locale.ROOT));
            noticeArea.getChildren().add(box);
        }
    }
}
