package org.openledger.studio.daemon.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** What a handler answers: a status, a content type and a body written to the client. */
public abstract class Response {

    private final int status;
    private final String contentType;

    protected Response(int status, String contentType) {
        this.status = status;
        this.contentType = contentType;
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    /** Length of the body, or -1 when it is streamed (chunked). */
    public abstract long length();

    public abstract void write(OutputStream out) throws IOException;

    /** A JSON body from any record or map, serialised with the wire's conventions. */
    public static Response json(Object body) {
        return json(200, body);
    }

    public static Response json(int status, Object body) {
        try {
            return bytes(status, "application/json", org.openledger.studio.api.Wire.mapper().writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("response is not serialisable: " + e.getOriginalMessage(), e);
        }
    }

    public static Response text(String contentType, String body) {
        return bytes(200, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public static Response bytes(int status, String contentType, byte[] body) {
        return new Response(status, contentType) {
            @Override
            public long length() {
                return body.length;
            }

            @Override
            public void write(OutputStream out) throws IOException {
                out.write(body);
            }
        };
    }

    /** A body produced while it is sent, e.g. server-sent events. */
    public interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    public static Response stream(String contentType, BodyWriter writer) {
        return new Response(200, contentType) {
            @Override
            public long length() {
                return -1;
            }

            @Override
            public void write(OutputStream out) throws IOException {
                writer.write(out);
            }
        };
    }

    /** A file sent as it is read from disk, with its length (Content-Length), never held in memory. */
    public static Response file(String contentType, java.nio.file.Path file) throws IOException {
        long size = java.nio.file.Files.size(file);
        return new Response(200, contentType) {
            @Override
            public long length() {
                return size;
            }

            @Override
            public void write(OutputStream out) throws IOException {
                try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
                    long left = size;
                    byte[] buf = new byte[1 << 16];
                    while (left > 0) {
                        int n = in.read(buf, 0, (int) Long.min(buf.length, left));
                        if (n < 0) {
                            throw new IOException(file + " became shorter while it was sent");
                        }
                        out.write(buf, 0, n);
                        left -= n;
                    }
                }
            }
        };
    }
}
