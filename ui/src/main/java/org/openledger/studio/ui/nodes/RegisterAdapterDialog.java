package org.openledger.studio.ui.nodes;

import java.io.File;
import java.util.Optional;
import javafx.event.ActionEvent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.DirectoryChooser;
import javafx.stage.Window;

/**
 * Asks for a PEFT adapter folder on the node (browsable when the node is this computer) and an optional id. The
 * node checks the folder itself; its refusal shows in the Adapters tab.
 */
public final class RegisterAdapterDialog extends Dialog<RegisterAdapterDialog.Registration> {

    /** A folder on the node and the id to serve it under (blank: the folder's name). */
    public record Registration(String folder, String id) {
    }

    public RegisterAdapterDialog(Window owner, NodeRow node) {
        initOwner(owner);
        setTitle("Register an adapter");
        boolean local = node != null && node.entry().local();
        setHeaderText(local ? "Serve a PEFT adapter folder (adapter_config.json + adapter_model.safetensors)."
                : "Serve a PEFT adapter folder that is on the node '" + (node == null ? "?" : node.entry().name())
                + "' (a path on that machine).");
        TextField folder = new TextField();
        folder.setId("register-adapter-folder");
        folder.setPromptText("/path/to/adapter-folder");
        folder.setPrefColumnCount(32);
        Button browse = new Button("Browse…");
        browse.setId("register-adapter-browse");
        browse.setVisible(local);
        browse.setManaged(local);
        browse.setOnAction(e -> {
            DirectoryChooser chooser = new DirectoryChooser();
            chooser.setTitle("Adapter folder");
            File f = chooser.showDialog(getDialogPane().getScene().getWindow());
            if (f != null) {
                folder.setText(f.getAbsolutePath());
            }
        });
        HBox folderRow = new HBox(8, folder, browse);
        HBox.setHgrow(folder, Priority.ALWAYS);
        TextField id = new TextField();
        id.setId("register-adapter-id");
        id.setPromptText("optional: the folder's name");
        Label error = new Label();
        error.getStyleClass().add("form-error");
        error.setId("register-adapter-error");

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(10);
        grid.addRow(0, new Label("Folder"), folderRow);
        grid.addRow(1, new Label("Id"), id);
        grid.add(error, 0, 2, 2, 1);
        getDialogPane().setContent(grid);

        ButtonType register = new ButtonType("Register", ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().addAll(register, ButtonType.CANCEL);
        Button ok = (Button) getDialogPane().lookupButton(register);
        ok.setId("register-adapter-confirm");
        ok.addEventFilter(ActionEvent.ACTION, e -> {
            if (folder.getText().isBlank()) {
                error.setText("Give the adapter's folder.");
                e.consume();
            }
        });
        setResultConverter(bt -> bt == register ? new Registration(folder.getText().strip(), id.getText().strip())
                : null);
    }

    public static Optional<Registration> ask(Window owner, NodeRow node) {
        return new RegisterAdapterDialog(owner, node).showAndWait();
    }
}
