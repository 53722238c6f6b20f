package org.openledger.studio.daemon.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Tells whether a request's client still holds its connection while the node works on an answer it has not begun
 * to write (a non-streamed completion). The JDK's server gives a handler no way to look at its socket, and reading
 * it would eat a pipelined request; the kernel's socket table does: {@code /proc/net/tcp} and {@code tcp6} list
 * each connection with its state. A client that closed its socket has sent FIN, so the node's side is in
 * CLOSE_WAIT; one that reset it is gone from the table. As in Go's server, a peer's end of sending counts as gone
 * (HTTP/1.1 clients do not half-close and then wait for an answer). See decision 0024.
 *
 * <p>One table read (two small files) serves every waiting request for {@link #FRESH_NANOS}. Where there is no such
 * table (not Linux), or a connection is never found in it, it is never called gone: the answer is generated and
 * the write finds out, as before.
 */
final class ClientConnections {

    /** How long one read of the table is reused. */
    static final long FRESH_NANOS = 100_000_000L;
    private static final String ESTABLISHED = "01";
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private record Key(InetAddress local, int localPort, InetAddress remote, int remotePort) {
    }

    private long readAt;
    private Map<Key, String> states = Map.of();
    private final boolean available = TABLES.stream().allMatch(Files::isReadable);

    /** A check for one exchange's connection, seen from the node: {@code local} is the node's end. */
    BooleanSupplier watch(InetSocketAddress local, InetSocketAddress remote) {
        if (!available || local == null || remote == null || local.getAddress() == null
                || remote.getAddress() == null) {
            return () -> false;
        }
        Key key = new Key(local.getAddress(), local.getPort(), remote.getAddress(), remote.getPort());
        boolean[] seen = {false};
        return () -> {
            String state = table().get(key);
            if (ESTABLISHED.equals(state)) {
                seen[0] = true;
                return false;
            }
            // absent before it was ever seen: the table does not show this connection; say nothing
            return state != null || seen[0];
        };
    }

    private synchronized Map<Key, String> table() {
        long now = System.nanoTime();
        if (now - readAt > FRESH_NANOS || readAt == 0) {
            Map<Key, String> fresh = new HashMap<>();
            for (Path t : TABLES) {
                read(t, fresh);
            }
            states = fresh;
            readAt = now;
        }
        return states;
    }

    private static void read(Path table, Map<Key, String> into) {
        List<String> lines;
        try {
            lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return;
        }
        for (int i = 1; i < lines.size(); i++) {
            // "  sl  local_address rem_address st ...": addresses as HEX:PORT
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 4) {
                continue;
            }
            try {
                InetSocketAddress local = address(f[1]);
                InetSocketAddress remote = address(f[2]);
                into.put(new Key(local.getAddress(), local.getPort(), remote.getAddress(), remote.getPort()), f[3]);
            } catch (RuntimeException | UnknownHostException malformed) {
                // a line this reader does not understand is not ours
            }
        }
    }

    /**
     * One {@code HEX:PORT} field. The address is printed as 32-bit words in the host's byte order; the port in plain
     * hex. An IPv4-mapped IPv6 address comes back as an IPv4 address, as the JDK reports the exchange's.
     */
    static InetSocketAddress address(String field) throws UnknownHostException {
        int colon = field.indexOf(':');
        String hex = field.substring(0, colon);
        if (hex.length() != 8 && hex.length() != 32) {
            throw new IllegalArgumentException("not an address: " + field);
        }
        ByteBuffer bytes = ByteBuffer.allocate(hex.length() / 2).order(ByteOrder.nativeOrder());
        for (int w = 0; w < hex.length(); w += 8) {
            bytes.putInt((int) Long.parseLong(hex.substring(w, w + 8), 16));
        }
        return new InetSocketAddress(InetAddress.getByAddress(bytes.array()),
                Integer.parseInt(field.substring(colon + 1), 16));
    }
}
