package org.openledger.studio.ui.nodes;

import java.util.Optional;
import javafx.event.ActionEvent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.openledger.studio.api.tls.CertificatePin;

/**
 * Asks for a remote node's name, URL, token and (optional) TLS fingerprint; keeps itself open with the reason until
 * the input is usable. For an https node without a fingerprint it shows the certificate's fingerprint and asks
 * whether to trust it ({@link AddNodeFlow}).
 */
public final class AddNodeDialog extends Dialog<NodeRow> {

    private final AddNodeFlow flow;

    public AddNodeDialog(Window owner, NodesViewModel<?> model) {
        initOwner(owner);
        this.flow = new AddNodeFlow(model, AddNodeFlow.TLS_HANDSHAKE);
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
        TextField fingerprint = new TextField();
        fingerprint.setPromptText("optional: the SHA-256 the node printed at start");
        fingerprint.setId("add-node-fingerprint");
        Label error = new Label();
        error.getStyleClass().add("form-error");
        error.setId("add-node-error");
        error.setWrapText(true);
        error.setMaxWidth(420);
        error.textProperty().bind(flow.errorProperty());

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(10);
        grid.addRow(0, new Label("Name"), name);
        grid.addRow(1, new Label("URL"), url);
        grid.addRow(2, new Label("Token"), token);
        grid.addRow(3, new Label("TLS fingerprint"), fingerprint);
        grid.add(error, 0, 4, 2, 1);
        getDialogPane().setContent(grid);

        ButtonType add = new ButtonType("Add", ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().addAll(add, ButtonType.CANCEL);
        Button addButton = (Button) getDialogPane().lookupButton(add);
        addButton.setId("add-node-confirm");
        addButton.disableProperty().bind(flow.busyProperty().or(flow.toConfirmProperty().isNotNull()));
        addButton.addEventFilter(ActionEvent.ACTION, e -> {
            // the dialog closes itself once the node is added (at once, or after the certificate is accepted)
            e.consume();
            flow.submit(name.getText(), url.getText(), token.getText(), fingerprint.getText());
        });
        flow.toConfirmProperty().addListener((o, was, pin) -> {
            if (pin != null) {
                confirm(pin);
            }
        });
        flow.addedProperty().addListener((o, was, row) -> {
            if (row != null) {
                setResult(row);
                close();
            }
        });
        setResultConverter(bt -> null);
    }

    /** Shows the fingerprint the node presented and asks whether to trust it (not modal to the flow: no nesting). */
    private void confirm(CertificatePin pin) {
        Alert ask = new Alert(Alert.AlertType.CONFIRMATION);
        ask.initOwner(getDialogPane().getScene().getWindow());
        ask.setTitle("Trust this node's certificate?");
        ask.setHeaderText("The node presents a TLS certificate no authority vouches for.");
        Label fp = new Label(pin.fingerprint());
        fp.setId("add-node-tls-fingerprint");
        fp.setWrapText(true);
        fp.setMaxWidth(460);
        Label how = new Label("SHA-256 fingerprint. Trust it only if it is the one the node printed at start "
                + "(`studio daemon --tls` prints it; `GET /health` shows it as tls_sha256). The studio will then "
                + "refuse any other certificate for this node.");
        how.setWrapText(true);
        how.setMaxWidth(460);
        ask.getDialogPane().setContent(new VBox(10, how, fp));
        ButtonType trust = new ButtonType("Trust and add", ButtonBar.ButtonData.OK_DONE);
        ask.getButtonTypes().setAll(trust, ButtonType.CANCEL);
        ((Button) ask.getDialogPane().lookupButton(trust)).setId("add-node-trust");
        ((Button) ask.getDialogPane().lookupButton(ButtonType.CANCEL)).setId("add-node-distrust");
        ask.setOnHidden(e -> {
            if (ask.getResult() == trust) {
                flow.accept();
            } else {
                flow.decline();
            }
        });
        ask.show();
    }

    public static Optional<NodeRow> ask(Window owner, NodesViewModel<?> model) {
        return new AddNodeDialog(owner, model).showAndWait();
    }
}
