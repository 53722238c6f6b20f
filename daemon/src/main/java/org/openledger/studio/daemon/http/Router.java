package org.openledger.studio.daemon.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps method + path to a {@link Handler}. Patterns are literal segments and {@code {name}} parameters, e.g.
 * {@code /v1/fine_tuning/jobs/{id}/events}. Later features add their routes here at wiring time.
 */
public final class Router {

    /** A route found for a request. */
    public record Match(Route route, Map<String, String> params) {
    }

    /** A registered route; {@code pattern} is what metrics label requests with (bounded cardinality). */
    public record Route(String method, String pattern, boolean open, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();

    /** Adds a route that needs the node's token. */
    public Router add(String method, String pattern, Handler handler) {
        return add(method, pattern, false, handler);
    }

    /** Adds a route that answers without a token (only the health check should). */
    public Router addOpen(String method, String pattern, Handler handler) {
        return add(method, pattern, true, handler);
    }

    private Router add(String method, String pattern, boolean open, Handler handler) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern must start with /: " + pattern);
        }
        for (Route r : routes) {
            if (r.method().equals(method) && r.pattern().equals(pattern)) {
                throw new IllegalArgumentException("route registered twice: " + method + " " + pattern);
            }
        }
        routes.add(new Route(method, pattern, open, handler));
        return this;
    }

    /**
     * The route for {@code method} and {@code path}, or null. {@code path} is the raw path as sent (percent escapes
     * kept): it is split into segments first and each parameter decoded on its own, so an escaped {@code %2F} stays
     * inside its parameter (and is refused there) instead of making new segments.
     */
    public Match find(String method, String path) {
        String[] parts = split(path);
        for (Route r : routes) {
            if (!r.method().equals(method)) {
                continue;
            }
            Map<String, String> params = match(split(r.pattern()), parts);
            if (params != null) {
                return new Match(r, params);
            }
        }
        return null;
    }

    /** Methods that exist for {@code path}, to answer 405 rather than 404. */
    public Set<String> methodsFor(String path) {
        String[] parts = split(path);
        Set<String> out = new LinkedHashSet<>();
        for (Route r : routes) {
            if (match(split(r.pattern()), parts) != null) {
                out.add(r.method());
            }
        }
        return out;
    }

    private static Map<String, String> match(String[] pattern, String[] parts) {
        if (pattern.length != parts.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                params.put(p.substring(1, p.length() - 1), decode(parts[i]));
            } else if (!p.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }

    /** Percent-decodes one path segment as UTF-8 ({@code +} stays a plus); a broken escape is kept as it is. */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            int hi = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
            int lo = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 2), 16) : -1;
            if (c == '%' && hi >= 0 && lo >= 0) {
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String[] split(String path) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/+");
    }
}
