package org.openledger.studio.ui.nodes;

import java.util.Optional;
import javafx.event.ActionEvent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/** Asks for a remote node's name, URL and token; keeps itself open with the reason until the input is usable. */
public final class AddNodeDialog extends Dialog<NodeRow> {

    public AddNodeDialog(Window owner, NodesViewModel<?> model) {
        initOwner(owner);
        setTitle("Add a node");
        setHeaderText("Add a node running `studio daemon`, e.g. a rented GPU box.");
        TextField name = new TextField();
        name.setPromptText("e.g. H100 box");
        name.setId("add-node-name");
        TextField url = new TextField();
        url.setPromptText("https://gpu-box.example:8765");
        url.setId("add-node-url");
        PasswordField token = new PasswordField();
        token.setPromptText("the node's token (from its --token-file)");
        token.setId("add-node-token");
        Label error = new Label();
        error.getStyleClass().add("form-error");
        error.setId("add-node-error");
        error.setWrapText(true);
        error.setMaxWidth(420);

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(10);
        grid.addRow(0, new Label("Name"), name);
        grid.addRow(1, new Label("URL"), url);
        grid.addRow(2, new Label("Token"), token);
        grid.add(error, 0, 3, 2, 1);
        getDialogPane().setContent(grid);

        ButtonType add = new ButtonType("Add", ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().addAll(add, ButtonType.CANCEL);
        Button addButton = (Button) getDialogPane().lookupButton(add);
        addButton.setId("add-node-confirm");
        final NodeRow[] added = new NodeRow[1];
        addButton.addEventFilter(ActionEvent.ACTION, e -> {
            try {
                added[0] = model.addRemote(name.getText(), url.getText(), token.getText());
            } catch (IllegalArgumentException ex) {
                error.setText(ex.getMessage());
                e.consume();
            } catch (RuntimeException ex) {
                error.setText("Could not save the node: " + ex.getMessage());
                e.consume();
            }
        });
        setResultConverter(bt -> bt == add ? added[0] : null);
    }

    public static Optional<NodeRow> ask(Window owner, NodesViewModel<?> model) {
        return new AddNodeDialog(owner, model).showAndWait();
    }
}
