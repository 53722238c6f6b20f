package org.openledger.studio.daemon.handlers;

import org.openledger.studio.api.finetune.AdapterFiles;
import org.openledger.studio.daemon.adapters.AdapterTransferException;
import org.openledger.studio.daemon.adapters.AdapterTransfers;
import org.openledger.studio.daemon.http.ApiException;
import org.openledger.studio.daemon.http.Request;
import org.openledger.studio.daemon.http.Response;
import org.openledger.studio.daemon.http.Router;

/**
 * Adapters as files, for pull to the desktop and push to another node: {@code GET /v1/adapters/{id}},
 * {@code GET|PUT /v1/adapters/{id}/files/{name}} and {@code POST /v1/adapters/{id}/commit}.
 */
public final class AdapterHandlers {

    private static final String OCTETS = "application/octet-stream";

    private final AdapterTransfers transfers;

    public AdapterHandlers(AdapterTransfers transfers) {
        this.transfers = transfers;
    }

    public void register(Router router) {
        router.add("GET", "/v1/adapters/{id}", req -> Response.json(mapped(() -> transfers.served(req.pathParam("id")))));
        router.add("GET", "/v1/adapters/{id}/files/{name}", req -> Response.file(OCTETS,
                mapped(() -> transfers.servedFile(req.pathParam("id"), req.pathParam("name")))));
        router.add("PUT", "/v1/adapters/{id}/files/{name}", this::receive);
        router.add("POST", "/v1/adapters/{id}/commit", this::commit);
    }

    private Response receive(Request req) {
        return Response.json(mapped(() -> transfers.receive(req.pathParam("id"), req.pathParam("name"),
                req.query("sha256"), req.header("Content-Length"), req.body())));
    }

    private Response commit(Request req) {
        AdapterFiles listed = req.json(AdapterFiles.class);
        return Response.json(mapped(() -> transfers.commit(req.pathParam("id"), listed)));
    }

    interface Transfer<T> {
        T run() throws AdapterTransferException, java.io.IOException;
    }

    static <T> T mapped(Transfer<T> transfer) {
        try {
            return transfer.run();
        } catch (AdapterTransferException e) {
            throw switch (e.kind()) {
                case NOT_FOUND -> new ApiException(404, "invalid_request_error", "not_found", e.param(),
                        e.getMessage());
                case CONFLICT -> new ApiException(409, "invalid_request_error", "adapter_exists", e.param(),
                        e.getMessage());
                case TOO_LARGE -> new ApiException(413, "invalid_request_error", "body_too_large", e.param(),
                        e.getMessage());
                case REFUSED -> new ApiException(400, "invalid_request_error", "adapter_unusable", e.param(),
                        e.getMessage());
                case BAD_INPUT -> ApiException.badParam(e.param(), e.getMessage());
                case OVER_BUDGET -> new ApiException(400, "invalid_request_error", "adapter_too_large", e.param(),
                        e.getMessage());
                case IN_USE -> new ApiException(409, "invalid_request_error", "adapter_in_use", e.param(),
                        e.getMessage());
            };
        } catch (java.io.IOException e) {
            throw new ApiException(500, "server_error", "storage_failed", "The node could not read or write the "
                    + "adapter's files: " + e.getMessage());
        }
    }
}
