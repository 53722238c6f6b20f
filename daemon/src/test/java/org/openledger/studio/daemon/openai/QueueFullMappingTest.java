package org.openledger.studio.daemon.openai;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.openledger.studio.daemon.http.ApiException;
import org.openledger.studio.gpu.generate.GenerationTimeoutException;
import org.openledger.studio.gpu.generate.QueueFullException;

class QueueFullMappingTest {

    @Test
    void aFullGenerationQueueIs429WithRetryAfterAndATimeOut504() {
        ApiException full = (ApiException) OpenAiErrors.toApi(new QueueFullException("256 requests are waiting", 3));
        assertEquals(429, full.status());
        assertEquals(3, full.retryAfterSeconds());
        assertEquals("queue_full", full.body().error().code());
        ApiException late = (ApiException) OpenAiErrors.toApi(new GenerationTimeoutException("too slow"));
        assertEquals(504, late.status());
        assertNull(late.retryAfterSeconds());
    }
}
