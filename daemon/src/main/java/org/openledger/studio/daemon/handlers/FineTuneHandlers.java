package org.openledger.studio.daemon.handlers;

import org.openledger.studio.api.finetune.FineTuneLists;
import org.openledger.studio.api.finetune.FineTuneRequest;
import org.openledger.studio.daemon.finetune.FineTuneJobs;
import org.openledger.studio.daemon.finetune.InvalidFineTuneException;
import org.openledger.studio.daemon.finetune.UnknownJobException;
import org.openledger.studio.daemon.http.ApiException;
import org.openledger.studio.daemon.http.Request;
import org.openledger.studio.daemon.http.Response;
import org.openledger.studio.daemon.http.Router;
import org.openledger.studio.daemon.http.SseWriter;

/**
 * Fine-tuning jobs shaped like OpenAI's {@code /v1/fine_tuning/jobs} API, plus what a desktop needs around it:
 * an estimate before starting, resume after a cancel or failure, and the Datanet rows a job used.
 */
public final class FineTuneHandlers {

    private final FineTuneJobs jobs;

    public FineTuneHandlers(FineTuneJobs jobs) {
        this.jobs = jobs;
    }

    public void register(Router router) {
        router.add("POST", "/v1/fine_tuning/jobs", this::create);
        router.add("POST", "/v1/fine_tuning/estimate", this::estimate);
        router.add("GET", "/v1/fine_tuning/jobs", req -> Response.json(FineTuneLists.Jobs.of(jobs.list())));
        router.add("GET", "/v1/fine_tuning/jobs/{id}", req -> Response.json(known(() -> jobs.get(req.pathParam("id")))));
        router.add("POST", "/v1/fine_tuning/jobs/{id}/cancel",
                req -> Response.json(known(() -> jobs.cancel(req.pathParam("id")))));
        router.add("POST", "/v1/fine_tuning/jobs/{id}/resume", this::resume);
        router.add("GET", "/v1/fine_tuning/jobs/{id}/events", this::events);
        router.add("GET", "/v1/fine_tuning/jobs/{id}/checkpoints", req -> Response.json(
                FineTuneLists.Checkpoints.of(known(() -> jobs.checkpoints(req.pathParam("id"))))));
        router.add("GET", "/v1/fine_tuning/jobs/{id}/rows", req -> Response.json(
                FineTuneLists.Rows.of(known(() -> jobs.rows(req.pathParam("id"))))));
    }

    /** The events so far as a list; with {@code ?stream=true} as server-sent events until the job ends. */
    private Response events(Request req) {
        String id = req.pathParam("id");
        var now = known(() -> jobs.events(id));
        if (!"true".equals(req.query("stream"))) {
            return Response.json(FineTuneLists.Events.of(now));
        }
        return Response.stream("text/event-stream; charset=utf-8", out -> {
            SseWriter sse = new SseWriter(out);
            try {
                jobs.follow(id, sse::send);
            } catch (UnknownJobException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sse.done();
        });
    }

    private Response create(Request req) {
        FineTuneRequest body = req.json(FineTuneRequest.class);
        try {
            return Response.json(jobs.create(body));
        } catch (InvalidFineTuneException e) {
            throw ApiException.badParam(e.param(), e.getMessage());
        }
    }

    private Response estimate(Request req) {
        FineTuneRequest body = req.json(FineTuneRequest.class);
        try {
            return Response.json(jobs.estimate(body));
        } catch (InvalidFineTuneException e) {
            throw ApiException.badParam(e.param(), e.getMessage());
        }
    }

    private Response resume(Request req) {
        return Response.json(known(() -> jobs.resume(req.pathParam("id"))));
    }

    private interface Lookup<T> {
        T get() throws UnknownJobException, InvalidFineTuneException;
    }

    private static <T> T known(Lookup<T> lookup) {
        try {
            return lookup.get();
        } catch (UnknownJobException e) {
            throw ApiException.notFound(e.getMessage());
        } catch (InvalidFineTuneException e) {
            throw ApiException.badParam(e.param(), e.getMessage());
        }
    }
}
