package org.openledger.studio.daemon.handlers;

import java.io.IOException;
import org.openledger.studio.api.registry.ChunkAccepted;
import org.openledger.studio.api.registry.ContributionList;
import org.openledger.studio.api.registry.NearDuplicateRequest;
import org.openledger.studio.api.registry.OpenUpload;
import org.openledger.studio.daemon.http.ApiException;
import org.openledger.studio.daemon.http.Request;
import org.openledger.studio.daemon.http.Response;
import org.openledger.studio.daemon.http.Router;
import org.openledger.studio.daemon.registry.DatanetRegistry;
import org.openledger.studio.daemon.registry.RegistryRefusedException;
import org.openledger.studio.daemon.registry.UnknownUploadException;
import org.openledger.studio.datanet.contribution.ChunkLimits;
import org.openledger.studio.datanet.contribution.ContributionRejectedException;
import org.openledger.studio.datanet.node.RegistryWire;

/**
 * The Datanet registry: a resumable, chunked upload of signed contributions and near-duplicate queries.
 * <pre>
 * GET  /v1/registry                               the EIP-712 domain manifests are verified against
 * POST /v1/registry/uploads                       {signed_manifest, chunks} -> upload status (idempotent)
 * GET  /v1/registry/uploads/{id}                  status, with the chunks received
 * PUT  /v1/registry/uploads/{id}/chunks/{index}?hash=0x..   raw JSONL chunk -> 400 when it does not verify
 * POST /v1/registry/uploads/{id}/finish           rows stored and indexed
 * GET  /v1/datanets/{id}/contributions            finished contributions
 * POST /v1/datanets/{id}/near-duplicates          {threshold, queries:[{row, hash, signature}]} -> {matches}
 * </pre>
 */
public final class RegistryHandlers {

    /** A chunk's body may be a little over the planned limit (its last line's break). */
    private static final int MAX_CHUNK_BYTES = (int) ChunkLimits.DEFAULT.maxBytes() + 64 * 1024;

    private final DatanetRegistry registry;

    public RegistryHandlers(DatanetRegistry registry) {
        this.registry = registry;
    }

    public void register(Router router) {
        router.add("GET", "/v1/registry", req -> Response.json(registry.info()));
        router.add("POST", "/v1/registry/uploads", this::open);
        router.add("GET", "/v1/registry/uploads/{id}", req -> mapped(() -> registry.status(req.pathParam("id"))));
        router.add("PUT", "/v1/registry/uploads/{id}/chunks/{index}", this::chunk);
        router.add("POST", "/v1/registry/uploads/{id}/finish", req -> mapped(() -> registry.finish(req.pathParam("id"))));
        router.add("GET", "/v1/datanets/{id}/contributions",
                req -> Response.json(new ContributionList(registry.contributions(req.pathParam("id")))));
        router.add("POST", "/v1/datanets/{id}/near-duplicates", this::nearDuplicates);
    }

    private Response open(Request req) {
        OpenUpload body = req.json(OpenUpload.class);
        return mapped(() -> registry.open(RegistryWire.signedManifest(body), RegistryWire.chunks(body)));
    }

    private Response chunk(Request req) throws IOException {
        int index = parseIndex(req.pathParam("index"));
        byte[] payload = req.body().readNBytes(MAX_CHUNK_BYTES + 1);
        if (payload.length > MAX_CHUNK_BYTES) {
            throw new ApiException(413, "invalid_request_error", "body_too_large",
                    "A chunk is at most " + ChunkLimits.DEFAULT.maxBytes() + " bytes");
        }
        String hash = req.query("hash");
        return mapped(() -> new ChunkAccepted(index, registry.putChunk(req.pathParam("id"), index, payload, hash)));
    }

    private Response nearDuplicates(Request req) {
        NearDuplicateRequest body = req.json(NearDuplicateRequest.class);
        if (body.queries() == null) {
            throw ApiException.badParam("queries", "queries is required");
        }
        return mapped(() -> RegistryWire.answer(registry.nearDuplicates(req.pathParam("id"),
                RegistryWire.queries(body), body.threshold())));
    }

    private static int parseIndex(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw ApiException.badParam("index", "the chunk index must be a number, not " + s);
        }
    }

    /** The registry's refusals as HTTP errors: 400 for what does not verify, 404 unknown, 409 not yet. */
    private static Response mapped(java.util.function.Supplier<Object> call) {
        try {
            return Response.json(call.get());
        } catch (ContributionRejectedException e) {
            throw new ApiException(400, "invalid_request_error", "contribution_rejected", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (UnknownUploadException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (RegistryRefusedException e) {
            throw new ApiException(409, "invalid_request_error", "upload_incomplete", e.getMessage());
        }
    }
}
