package org.openledger.studio.gpu.tokenizer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Jinja subset that Hugging Face chat templates are written in: {@code {{ expr }}}, {@code {% for %}},
 * {@code {% if/elif/else %}}, {@code {% set %}} (also {@code set ns.attr}), comments, {@code -} whitespace control,
 * and the environment transformers uses (trim_blocks and lstrip_blocks on). Not supported: macros, call blocks,
 * block-set, includes, loop else and loop filters; those fail to parse with a message rather than render wrong.
 */
final class JinjaTemplate {

    private sealed interface Node permits Text, Output, For, If, Set {
    }

    private record Text(String text) implements Node {
    }

    private record Output(JinjaExpression.Node expr) implements Node {
    }

    private record For(List<String> names, JinjaExpression.Node iterable, List<Node> body) implements Node {
    }

    private record If(List<JinjaExpression.Node> conditions, List<List<Node>> bodies) implements Node {
    }

    private record Set(String target, String attribute, JinjaExpression.Node value) implements Node {
    }

    private record Token(char kind, String text) {
    }

    private static final Pattern FOR = Pattern.compile("for\\s+([\\w\\s,]+?)\\s+in\\s+(.+)", Pattern.DOTALL);
    private static final Pattern SET = Pattern.compile("set\\s+(\\w+)(?:\\.(\\w+))?\\s*=\\s*(.+)", Pattern.DOTALL);

    private final List<Node> body;

    private JinjaTemplate(List<Node> body) {
        this.body = body;
    }

    static JinjaTemplate parse(String source) throws ChatTemplateException {
        List<Token> tokens = lex(source);
        int[] at = {0};
        List<Node> body = parseBody(tokens, at, List.of());
        if (at[0] < tokens.size()) {
            throw new ChatTemplateException("unexpected {% " + tokens.get(at[0]).text() + " %}");
        }
        return new JinjaTemplate(body);
    }

    String render(Map<String, Object> variables) throws ChatTemplateException {
        Deque<Map<String, Object>> frames = new ArrayDeque<>();
        frames.push(JinjaFunctions.globals());
        frames.push(new HashMap<>(variables));
        StringBuilder out = new StringBuilder();
        render(body, frames, out);
        return out.toString();
    }

    /** Splits into text ('t'), output ('o') and statement ('s') tokens, applying the whitespace rules. */
    private static List<Token> lex(String src) throws ChatTemplateException {
        List<Token> out = new ArrayList<>();
        int i = 0;
        boolean trimNext = false;
        boolean afterBlock = false;
        while (i <= src.length()) {
            int open = nextTag(src, i);
            String text = src.substring(i, open < 0 ? src.length() : open);
            if (afterBlock && text.startsWith("\n")) {
                text = text.substring(1); // trim_blocks
            } else if (afterBlock && text.startsWith("\r\n")) {
                text = text.substring(2);
            }
            if (trimNext) {
                text = text.stripLeading();
            }
            if (open < 0) {
                out.add(new Token('t', text));
                break;
            }
            char kind = src.charAt(open + 1);
            String close = kind == '{' ? "}}" : kind == '%' ? "%}" : "#}";
            int end = src.indexOf(close, open + 2);
            if (end < 0) {
                throw new ChatTemplateException("a tag opened at character " + open + " is never closed");
            }
            String inner = src.substring(open + 2, end);
            boolean stripBefore = inner.startsWith("-");
            boolean stripAfter = inner.endsWith("-");
            if (stripBefore) {
                text = text.stripTrailing();
            } else if (kind != '{' && !inner.startsWith("+")) {
                // lstrip_blocks: a block tag alone on its line takes the line's indentation with it
                int lineStart = text.lastIndexOf('\n') + 1;
                if (text.substring(lineStart).isBlank()) {
                    text = text.substring(0, lineStart);
                }
            }
            out.add(new Token('t', text));
            int bodyStart = stripBefore || inner.startsWith("+") ? 1 : 0;
            // "{%-%}": the one '-' strips both sides, and the tag is empty
            String body = inner.substring(bodyStart, Math.max(bodyStart, inner.length() - (stripAfter ? 1 : 0)))
                    .strip();
            if (kind == '{') {
                out.add(new Token('o', body));
            } else if (kind == '%') {
                out.add(new Token('s', body));
            }
            trimNext = stripAfter;
            afterBlock = kind != '{';
            i = end + 2;
        }
        out.removeIf(t -> t.kind() == 't' && t.text().isEmpty());
        return out;
    }

    private static int nextTag(String src, int from) {
        int best = -1;
        for (String open : new String[] {"{{", "{%", "{#"}) {
            int k = src.indexOf(open, from);
            if (k >= 0 && (best < 0 || k < best)) {
                best = k;
            }
        }
        return best;
    }

    private static String keyword(Token t) {
        String s = t.text();
        int sp = 0;
        while (sp < s.length() && Character.isLetter(s.charAt(sp))) {
            sp++;
        }
        return s.substring(0, sp);
    }

    /** Parses nodes until a statement whose keyword is in {@code stops} (left unconsumed) or the end. */
    private static List<Node> parseBody(List<Token> tokens, int[] at, List<String> stops) throws ChatTemplateException {
        List<Node> nodes = new ArrayList<>();
        while (at[0] < tokens.size()) {
            Token t = tokens.get(at[0]);
            if (t.kind() == 't') {
                nodes.add(new Text(t.text()));
                at[0]++;
                continue;
            }
            if (t.kind() == 'o') {
                nodes.add(new Output(JinjaExpression.parse(t.text())));
                at[0]++;
                continue;
            }
            String kw = keyword(t);
            if (stops.contains(kw)) {
                return nodes;
            }
            at[0]++;
            switch (kw) {
                case "for" -> {
                    Matcher m = FOR.matcher(t.text());
                    if (!m.matches()) {
                        throw new ChatTemplateException("cannot read {% " + t.text() + " %}");
                    }
                    List<String> names = new ArrayList<>();
                    for (String n : m.group(1).split(",")) {
                        names.add(n.strip());
                    }
                    List<Node> loopBody = parseBody(tokens, at, List.of("endfor", "else"));
                    expectEnd(tokens, at, "endfor");
                    nodes.add(new For(names, JinjaExpression.parse(m.group(2)), loopBody));
                }
                case "if" -> {
                    List<JinjaExpression.Node> conditions = new ArrayList<>();
                    List<List<Node>> bodies = new ArrayList<>();
                    conditions.add(JinjaExpression.parse(t.text().substring(2)));
                    bodies.add(parseBody(tokens, at, List.of("elif", "else", "endif")));
                    while (true) {
                        if (at[0] >= tokens.size()) {
                            throw new ChatTemplateException("{% if %} without {% endif %}");
                        }
                        Token stop = tokens.get(at[0]++);
                        String k = keyword(stop);
                        if (k.equals("endif")) {
                            break;
                        }
                        conditions.add(k.equals("elif") ? JinjaExpression.parse(stop.text().substring(4))
                                : s -> Boolean.TRUE);
                        bodies.add(parseBody(tokens, at, List.of("elif", "else", "endif")));
                    }
                    nodes.add(new If(conditions, bodies));
                }
                case "set" -> {
                    Matcher m = SET.matcher(t.text());
                    if (!m.matches()) {
                        throw new ChatTemplateException("only '{% set name = value %}' is supported: " + t.text());
                    }
                    nodes.add(new Set(m.group(1), m.group(2), JinjaExpression.parse(m.group(3))));
                }
                case "generation", "endgeneration" -> {
                    // marks the assistant's tokens for training masks; nothing to render
                }
                default -> throw new ChatTemplateException("{% " + kw + " %} is not supported in chat templates here");
            }
        }
        if (!stops.isEmpty()) {
            throw new ChatTemplateException("missing {% " + stops.get(0) + " %}");
        }
        return nodes;
    }

    private static void expectEnd(List<Token> tokens, int[] at, String end) throws ChatTemplateException {
        if (at[0] >= tokens.size() || !keyword(tokens.get(at[0])).equals(end)) {
            throw new ChatTemplateException("missing {% " + end + " %} (loop else is not supported)");
        }
        at[0]++;
    }

    private static void render(List<Node> nodes, Deque<Map<String, Object>> frames, StringBuilder out)
            throws ChatTemplateException {
        JinjaExpression.Scope scope = name -> {
            for (Map<String, Object> f : frames) {
                if (f.containsKey(name)) {
                    return f.get(name);
                }
            }
            return JinjaExpression.UNDEFINED;
        };
        for (Node n : nodes) {
            if (n instanceof Text t) {
                out.append(t.text());
            } else if (n instanceof Output o) {
                Object v = o.expr().eval(scope);
                out.append(v == JinjaExpression.UNDEFINED ? "" : JinjaFunctions.str(v));
            } else if (n instanceof If i) {
                for (int k = 0; k < i.conditions().size(); k++) {
                    if (JinjaValues.truthy(i.conditions().get(k).eval(scope))) {
                        render(i.bodies().get(k), frames, out);
                        break;
                    }
                }
            } else if (n instanceof Set s) {
                Object v = s.value().eval(scope);
                if (s.attribute() == null) {
                    frames.peek().put(s.target(), v);
                } else if (scope.lookup(s.target()) instanceof JinjaExpression.Namespace ns) {
                    ns.put(s.attribute(), v);
                } else {
                    throw new ChatTemplateException("'" + s.target() + "' is not a namespace(); cannot set "
                            + s.target() + "." + s.attribute());
                }
            } else if (n instanceof For f) {
                List<Object> items = JinjaFunctions.list(f.iterable().eval(scope));
                for (int k = 0; k < items.size(); k++) {
                    Map<String, Object> frame = new HashMap<>();
                    Object item = items.get(k);
                    if (f.names().size() == 1) {
                        frame.put(f.names().get(0), item);
                    } else {
                        List<Object> parts = JinjaFunctions.list(item);
                        for (int p = 0; p < f.names().size(); p++) {
                            frame.put(f.names().get(p), p < parts.size() ? parts.get(p) : JinjaExpression.UNDEFINED);
                        }
                    }
                    Map<String, Object> loop = new HashMap<>();
                    loop.put("index0", (long) k);
                    loop.put("index", (long) k + 1);
                    loop.put("first", k == 0);
                    loop.put("last", k == items.size() - 1);
                    loop.put("length", (long) items.size());
                    loop.put("revindex", (long) (items.size() - k));
                    loop.put("revindex0", (long) (items.size() - k - 1));
                    frame.put("loop", loop);
                    frames.push(frame);
                    try {
                        render(f.body(), frames, out);
                    } finally {
                        frames.pop();
                    }
                }
            }
        }
    }
}
