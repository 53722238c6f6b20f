package org.openledger.studio.daemon.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.openledger.studio.api.Wire;

/** Server-sent events as OpenAI streams them: {@code data: <json>} blocks, ended by {@code data: [DONE]}. */
public final class SseWriter {

    private final OutputStream out;

    public SseWriter(OutputStream out) {
        this.out = out;
    }

    public void send(Object json) throws IOException {
        out.write("data: ".getBytes(StandardCharsets.UTF_8));
        out.write(Wire.mapper().writeValueAsBytes(json));
        out.write("\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public void done() throws IOException {
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
