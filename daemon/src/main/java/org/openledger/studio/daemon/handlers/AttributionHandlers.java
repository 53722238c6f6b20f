package org.openledger.studio.daemon.handlers;

import org.openledger.studio.api.attribution.AttributionList;
import org.openledger.studio.api.attribution.AttributionRequest;
import org.openledger.studio.api.attribution.IndexRequest;
import org.openledger.studio.api.attribution.InfluenceIndexList;
import org.openledger.studio.api.attribution.Pricing;
import org.openledger.studio.daemon.attribution.AttributionException;
import org.openledger.studio.daemon.attribution.Attributions;
import org.openledger.studio.daemon.http.ApiException;
import org.openledger.studio.daemon.http.Request;
import org.openledger.studio.daemon.http.Response;
import org.openledger.studio.daemon.http.Router;
import org.openledger.studio.daemon.openai.OpenAiRequests;

/**
 * Proof of Attribution: {@code GET/POST /v1/attribution/indexes}, {@code POST /v1/attribution} (attribute a given
 * answer now), {@code GET /v1/attribution} (recent records, filtered) and {@code GET /v1/attribution/{id}}.
 */
public final class AttributionHandlers {

    private final Attributions attributions;

    public AttributionHandlers(Attributions attributions) {
        this.attributions = attributions;
    }

    public void register(Router router) {
        router.add("GET", "/v1/attribution/indexes",
                req -> Response.json(new InfluenceIndexList("list", attributions.indexes())));
        router.add("POST", "/v1/attribution/indexes", this::index);
        router.add("POST", "/v1/attribution", this::attribute);
        router.add("GET", "/v1/attribution", this::list);
        router.add("GET", "/v1/pricing", req -> answer(attributions::pricing));
        router.add("POST", "/v1/pricing", req -> {
            Pricing.Price body = req.json(Pricing.Price.class);
            return answer(() -> attributions.setPrice(body));
        });
        router.add("GET", "/v1/attribution/{id}", req -> Response.json(attributions.get(req.pathParam("id"))
                .orElseThrow(() -> ApiException.notFound("No attribution record '" + req.pathParam("id")
                        + "' on this node"))));
    }

    private Response list(Request req) {
        try {
            return Response.json(new AttributionList("list", attributions.recent(req.query("model"),
                    req.query("contributor"), req.query("datanet"), limit(req.query("limit")))));
        } catch (AttributionException e) {
            throw api(e);
        }
    }

    private static int limit(String text) {
        if (text == null) {
            return 50;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiException.badParam("limit", "limit must be a whole number, got '" + text + "'");
        }
    }

    private Response index(Request req) {
        IndexRequest body = req.json(IndexRequest.class);
        try {
            return Response.json(attributions.index(body.adapter()));
        } catch (AttributionException e) {
            throw api(e);
        }
    }

    private Response attribute(Request req) throws InterruptedException {
        AttributionRequest body = req.json(AttributionRequest.class);
        boolean chat = body.messages() != null;
        if (chat == (body.prompt() != null)) {
            throw ApiException.badParam("prompt", "Give prompt or messages (exactly one of them)");
        }
        try {
            return Response.json(attributions.attribute(body.model(), body.prompt(),
                    chat ? OpenAiRequests.messages(body.messages()) : null, body.completion(), body.topK()));
        } catch (AttributionException e) {
            throw api(e);
        }
    }

    private interface Call {
        Object run() throws AttributionException;
    }

    private static Response answer(Call call) {
        try {
            return Response.json(call.run());
        } catch (AttributionException e) {
            throw api(e);
        }
    }

    private static ApiException api(AttributionException e) {
        return e.notFound() ? ApiException.notFound(e.getMessage()) : ApiException.badParam(e.param(), e.getMessage());
    }
}
