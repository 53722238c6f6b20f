package org.openledger.studio.ui.nodes;

import java.net.URI;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.openledger.studio.api.NodeClient;
import org.openledger.studio.api.tls.CertificatePin;
import org.openledger.studio.api.tls.NodeTrust;
import org.openledger.studio.ui.tasks.BackgroundTasks;

/**
 * The Add Node form's state. An http node is added at once. For an https node the certificate it presents is read
 * first (a TLS handshake, in the background): with a fingerprint typed in, it must be that one and the node is added
 * pinned to it; without one the fingerprint is put to the user ({@link #toConfirmProperty()}), and the node is added
 * pinned only when they accept it (trust on first use, {@link NodeTrust}). From then on the studio trusts that
 * certificate and no other for the node; a different one is refused, the row saying which was presented.
 */
public final class AddNodeFlow {

    /** Reads the certificate an https node presents and checks the typed fingerprint against it. */
    @FunctionalInterface
    public interface Probe {
        NodeTrust.Decision decide(URI url, CertificatePin given) throws Exception;
    }

    /** The real probe: a TLS handshake with the node ({@link NodeTrust#decide}). */
    public static final Probe TLS_HANDSHAKE = (url, given) -> NodeTrust.decide(url, given, null,
            "the studio's node list");

    private final NodesViewModel<?> nodes;
    private final BackgroundTasks tasks;
    private final Probe probe;
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper();
    private final ReadOnlyObjectWrapper<CertificatePin> toConfirm = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<NodeRow> added = new ReadOnlyObjectWrapper<>();
    private Form pending;

    private record Form(String name, String url, String token) {
    }

    public AddNodeFlow(NodesViewModel<?> nodes, Probe probe) {
        this(nodes, nodes.checks(), probe);
    }

    AddNodeFlow(NodesViewModel<?> nodes, BackgroundTasks tasks, Probe probe) {
        this.nodes = nodes;
        this.tasks = tasks;
        this.probe = probe;
    }

    /** True while the node's certificate is being read. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Why the node was not added (null while nothing is wrong). */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** The fingerprint of the certificate the https node presented, waiting for the user's yes or no. */
    public ReadOnlyObjectProperty<CertificatePin> toConfirmProperty() {
        return toConfirm.getReadOnlyProperty();
    }

    /** The row of the node once it is added. */
    public ReadOnlyObjectProperty<NodeRow> addedProperty() {
        return added.getReadOnlyProperty();
    }

    /** The user pressed Add. Call on the UI thread. */
    public void submit(String name, String url, String token, String fingerprint) {
        if (busy.get()) {
            return;
        }
        error.set(null);
        toConfirm.set(null);
        URI u;
        CertificatePin given;
        try {
            u = NodeClient.parseBaseUrl(url);
            given = NodeTrust.given(fingerprint);
            if (given != null && !NodeTrust.isTls(u)) {
                throw new IllegalArgumentException("A TLS fingerprint needs an https:// URL, not " + u);
            }
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
            return;
        }
        Form form = new Form(name, url, token);
        if (!NodeTrust.isTls(u)) {
            add(form, null);
            return;
        }
        busy.set(true);
        tasks.create("Reading the TLS certificate of " + u, p -> probe.decide(u, given))
                .onSuccess(d -> {
                    if (d.given()) {
                        add(form, d.pin());
                    } else {
                        pending = form;
                        toConfirm.set(d.pin());
                    }
                })
                .onError(NodeTrust.Refused.class, e -> error.set(e.getMessage()))
                .onError(e -> error.set("Cannot read the TLS certificate of " + u + ": "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())))
                .andFinally(() -> busy.set(false))
                .start();
    }

    /** The user accepted the fingerprint shown: the node is added, pinned to that certificate. */
    public void accept() {
        CertificatePin pin = toConfirm.get();
        if (pin == null || pending == null) {
            return;
        }
        toConfirm.set(null);
        add(pending, pin);
        pending = null;
    }

    /** The user did not accept it: nothing is added. */
    public void decline() {
        if (toConfirm.get() == null) {
            return;
        }
        toConfirm.set(null);
        pending = null;
        error.set("The certificate was not accepted, so the node was not added");
    }

    private void add(Form form, CertificatePin pin) {
        try {
            added.set(nodes.addRemote(form.name(), form.url(), form.token(), pin));
        } catch (IllegalArgumentException e) {
            error.set(e.getMessage());
        } catch (RuntimeException e) {
            error.set("Could not save the node: " + e.getMessage());
        }
    }
}
