package org.openledger.studio.daemon.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Request#json}: a null body or a null element of a list is a 400 naming where, never a null to a handler. */
class RequestJsonTest {

    record Message(String role, String content) {
    }

    record Body(List<Message> messages, List<String> stop, Message first) {
    }

    private static Request request(String body) {
        return new Request("POST", "/x", Map.of(), null, Map.of(),
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aNullBodyIsA400() {
        ApiException e = assertThrows(ApiException.class, () -> request("null").json(Body.class));
        assertEquals(400, e.status());
        ApiException blank = assertThrows(ApiException.class, () -> request("  null \n").json(Body.class));
        assertEquals(400, blank.status());
    }

    @Test
    void aNullElementIsA400NamingIt() {
        ApiException e = assertThrows(ApiException.class, () -> request("{\"messages\": [null]}").json(Body.class));
        assertEquals(400, e.status());
        assertEquals("messages[0]", e.body().error().param());
        ApiException s = assertThrows(ApiException.class,
                () -> request("{\"messages\": [{\"role\":\"user\",\"content\":\"a\"}], \"stop\": [\"x\", null]}")
                        .json(Body.class));
        assertEquals("stop[1]", s.body().error().param());
    }

    @Test
    void nullFieldsStillMeanAbsent() {
        Body b = request("{\"messages\": [{\"role\":\"user\",\"content\":null}], \"stop\": null, \"first\": null}")
                .json(Body.class);
        assertEquals(1, b.messages().size());
        assertEquals(null, b.stop());
    }
}
