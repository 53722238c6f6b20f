package org.openledger.studio.daemon.openai;

import java.util.concurrent.CancellationException;
import org.openledger.studio.daemon.http.ApiException;
import org.openledger.studio.daemon.inference.ModelNotFoundException;
import org.openledger.studio.gpu.generate.GenerationTimeoutException;
import org.openledger.studio.gpu.generate.InvalidRequestException;
import org.openledger.studio.gpu.generate.QueueFullException;
import org.openledger.studio.gpu.model.InvalidModelException;

/** Maps what inference throws to OpenAI's error statuses and codes. */
public final class OpenAiErrors {

    private OpenAiErrors() {
    }

    public static RuntimeException toApi(Exception e) {
        if (e instanceof ApiException api) {
            return api;
        }
        if (e instanceof ModelNotFoundException) {
            return new ApiException(404, "invalid_request_error", "model_not_found", "model", e.getMessage());
        }
        if (e instanceof QueueFullException full) {
            return new ApiException(429, "rate_limit_error", "queue_full", "The node's generation queue is full: "
                    + full.getMessage()).withRetryAfter(full.retryAfterSeconds());
        }
        if (e instanceof GenerationTimeoutException) {
            return new ApiException(504, "server_error", "generation_timeout", e.getMessage());
        }
        if (e instanceof InvalidRequestException ir) {
            return ApiException.badParam(ir.param(), ir.getMessage());
        }
        if (e instanceof InvalidModelException || e instanceof java.io.IOException) {
            // a model without a tokenizer asked for text, or an adapter whose files are broken or mismatched
            return new ApiException(400, "invalid_request_error", "model_unusable", "model",
                    "The model cannot serve this request: " + e.getMessage());
        }
        if (e instanceof CancellationException || e instanceof InterruptedException) {
            return new ApiException(503, "server_error", "shutting_down", "The node is shutting down");
        }
        if (e instanceof RuntimeException re) {
            return re;
        }
        return new IllegalStateException(e.getMessage(), e);
    }
}
