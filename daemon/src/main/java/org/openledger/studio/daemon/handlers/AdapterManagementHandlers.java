package org.openledger.studio.daemon.handlers;

import org.openledger.studio.api.adapters.AdapterDeleted;
import org.openledger.studio.api.adapters.AdapterRegistration;
import org.openledger.studio.daemon.adapters.AdapterCatalog;
import org.openledger.studio.daemon.http.Request;
import org.openledger.studio.daemon.http.Response;
import org.openledger.studio.daemon.http.Router;

/**
 * Adapters managed at run time: {@code GET /v1/adapters[?tier=]} (each with its tier and counters),
 * {@code POST /v1/adapters} (register a folder on the node), {@code DELETE /v1/adapters/{id}}.
 */
public final class AdapterManagementHandlers {

    private final AdapterCatalog catalog;

    public AdapterManagementHandlers(AdapterCatalog catalog) {
        this.catalog = catalog;
    }

    public void register(Router router) {
        router.add("GET", "/v1/adapters", req -> Response.json(AdapterHandlers.mapped(
                () -> catalog.list(req.query("tier")))));
        router.add("POST", "/v1/adapters", this::add);
        router.add("DELETE", "/v1/adapters/{id}", this::delete);
    }

    private Response add(Request req) {
        AdapterRegistration body = req.json(AdapterRegistration.class);
        return Response.json(201, AdapterHandlers.mapped(() -> catalog.register(body)));
    }

    private Response delete(Request req) {
        String id = req.pathParam("id");
        AdapterHandlers.mapped(() -> {
            catalog.delete(id);
            return null;
        });
        return Response.json(new AdapterDeleted(id, "adapter", true));
    }
}
