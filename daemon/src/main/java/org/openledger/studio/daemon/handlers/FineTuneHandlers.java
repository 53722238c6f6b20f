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

/** Fine-tuning jobs shaped like OpenAI's {@code /v1/fine_tuning/jobs} API. */
public final class FineTuneHandlers {

    private final FineTuneJobs jobs;

    public FineTuneHandlers(FineTuneJobs jobs) {
        this.jobs = jobs;
    }

    public void register(Router router) {
        router.add("POST", "/v1/fine_tuning/jobs", this::create);
        router.add("GET", "/v1/fine_tuning/jobs", req -> Response.json(FineTuneLists.Jobs.of(jobs.list())));
        router.add("GET", "/v1/fine_tuning/jobs/{id}", req -> Response.json(known(() -> jobs.get(req.pathParam("id")))));
        router.add("POST", "/v1/fine_tuning/jobs/{id}/cancel",
                req -> Response.json(known(() -> jobs.cancel(req.pathParam("id")))));
        router.add("GET", "/v1/fine_tuning/jobs/{id}/events",
                req -> Response.json(FineTuneLists.Events.of(known(() -> jobs.events(req.pathParam("id"))))));
    }

    private Response create(Request req) {
        FineTuneRequest body = req.json(FineTuneRequest.class);
        try {
            return Response.json(jobs.create(body));
        } catch (InvalidFineTuneException e) {
            throw ApiException.badParam(e.param(), e.getMessage());
        }
    }

    private interface Lookup<T> {
        T get() throws UnknownJobException;
    }

    private static <T> T known(Lookup<T> lookup) {
        try {
            return lookup.get();
        } catch (UnknownJobException e) {
            throw ApiException.notFound(e.getMessage());
        }
    }
}
