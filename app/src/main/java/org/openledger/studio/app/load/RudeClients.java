package org.openledger.studio.app.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.openledger.studio.api.Wire;

/**
 * Clients that misbehave, over raw sockets: one reads its stream a byte a second, one leaves a stream after its
 * first event, one leaves a non-streamed completion before its answer. Their rows must end and their workers be
 * free, and the other clients must not notice them.
 */
final class RudeClients {

    private final URI base;
    private final String token;
    private final InetAddress from;
    private final Tally tally;
    private final int longTokens;

    /** @param from local address to connect from (null: any); @param longTokens max_tokens of their requests */
    RudeClients(URI base, String token, InetAddress from, Tally tally, int longTokens) {
        this.base = base;
        this.token = token;
        this.from = from;
        this.tally = tally;
        this.longTokens = longTokens;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        if (from != null) {
            s.bind(new InetSocketAddress(from, 0));
        }
        s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
        return s;
    }

    private byte[] request(boolean stream) {
        String body = Wire.mapper().createObjectNode().put("prompt", "Once upon a time").put("max_tokens", longTokens)
                .put("temperature", 0.8).put("stream", stream).toString();
        return ("POST /v1/completions HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a streamed completion one byte a second until it ends or {@code running} says stop. */
    void slowReader(BooleanSupplier running) throws InterruptedException {
        long start = System.nanoTime();
        try (Socket s = connect()) {
            s.getOutputStream().write(request(true));
            s.getOutputStream().flush();
            s.setSoTimeout(2_000);
            InputStream in = s.getInputStream();
            s.setSoTimeout(60_000);
            // the status line at once (to know the answer), then the rest a byte a second
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            s.setSoTimeout(2_000);
            while (running.getAsBoolean()) {
                int b;
                try {
                    b = in.read();
                } catch (java.net.SocketTimeoutException quiet) {
                    continue;
                }
                if (b < 0) {
                    break;
                }
                Thread.sleep(1_000);
            }
            tally.record(Kind.SLOW_READER, status(head), System.nanoTime() - start, null);
        } catch (IOException e) {
            tally.record(Kind.SLOW_READER, 0, System.nanoTime() - start, e.toString());
        }
    }

    /** Asks for a long stream, reads up to its first event, and closes the socket. */
    void leaveStream() {
        long start = System.nanoTime();
        try (Socket s = connect()) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(request(true));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder seen = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0 && !seen.toString().contains("data: ")) {
                seen.append((char) b);
            }
            tally.record(Kind.STREAM_DROPPED, status(seen.toString()), System.nanoTime() - start, null);
        } catch (IOException e) {
            tally.record(Kind.STREAM_DROPPED, 0, System.nanoTime() - start, e.toString());
        }
    }

    /** Asks for a long non-streamed completion and closes the socket before the answer comes. */
    void leaveUnstreamed() throws InterruptedException {
        long start = System.nanoTime();
        try (Socket s = connect()) {
            s.getOutputStream().write(request(false));
            s.getOutputStream().flush();
            Thread.sleep(300);
            // nothing was read: the node's answer, if it came this soon, is counted as a 200 by the node
            tally.record(Kind.UNSTREAMED_DROPPED, 200, System.nanoTime() - start, null);
        } catch (IOException e) {
            tally.record(Kind.UNSTREAMED_DROPPED, 0, System.nanoTime() - start, e.toString());
        }
    }

    private static int status(String head) {
        if (head.startsWith("HTTP/1.1 ") && head.length() >= 12) {
            return Integer.parseInt(head.substring(9, 12));
        }
        return 0;
    }
}
