package org.openledger.studio.gpu.tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expressions of the Jinja subset that chat templates use: literals, names, attribute and item access, slices,
 * calls, filters, tests ({@code is defined}), {@code + - * / % ~}, comparisons, {@code in}, {@code and or not} and
 * {@code a if c else b}. Parsed by recursive descent into a tree of {@link Node}s evaluated against a scope.
 */
final class JinjaExpression {

    /** Marks a name that is not bound; renders as "" and is falsy, as in Jinja. */
    static final Object UNDEFINED = new Object() {
        @Override
        public String toString() {
            return "";
        }
    };

    interface Scope {
        Object lookup(String name);
    }

    interface Node {
        Object eval(Scope s) throws ChatTemplateException;
    }

    /** A mutable namespace(...) object, the one way templates carry state out of a loop. */
    static final class Namespace extends LinkedHashMap<String, Object> {
    }

    private final List<String> tokens;
    private int pos;
    /** Open brackets, {@code not}s and minus signs: bounded, so that {@code [[[[...} is refused, not a stack overflow. */
    private int depth;
    static final int MAX_DEPTH = 64;

    private JinjaExpression(List<String> tokens) {
        this.tokens = tokens;
    }

    static Node parse(String source) throws ChatTemplateException {
        JinjaExpression p = new JinjaExpression(lex(source));
        Node n = p.ternary();
        if (p.pos != p.tokens.size()) {
            throw new ChatTemplateException("unexpected '" + p.tokens.get(p.pos) + "' in expression: " + source);
        }
        return n;
    }

    /** Parses a prefix of the tokens, for statements such as "for x in EXPR". */
    static Node parse(List<String> tokens) throws ChatTemplateException {
        return parse(String.join(" ", tokens));
    }

    static List<String> lex(String s) throws ChatTemplateException {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (ch == '\'' || ch == '"') {
                StringBuilder sb = new StringBuilder().append('\'');
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != ch) {
                    char c = s.charAt(j);
                    if (c == '\\' && j + 1 < s.length()) {
                        char e = s.charAt(++j);
                        sb.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            default -> e;
                        });
                    } else {
                        sb.append(c);
                    }
                    j++;
                }
                if (j >= s.length()) {
                    throw new ChatTemplateException("unterminated string in: " + s);
                }
                out.add(sb.toString());
                i = j + 1;
            } else if (Character.isDigit(ch)) {
                int j = i;
                while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else if (Character.isLetter(ch) || ch == '_') {
                int j = i;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (List.of("==", "!=", "<=", ">=", "//", "**").contains(two)) {
                    out.add(two);
                    i += 2;
                } else if ("+-*/%~<>()[]{}.,:|=".indexOf(ch) >= 0) {
                    out.add(String.valueOf(ch));
                    i++;
                } else {
                    throw new ChatTemplateException("unexpected character '" + ch + "' in: " + s);
                }
            }
        }
        return out;
    }

    /** The name after {@code after} (a filter, attribute or test name); refused when the expression ends there. */
    private String name(String after) throws ChatTemplateException {
        if (pos >= tokens.size()) {
            throw new ChatTemplateException("the expression ends after '" + after + "' where a name was expected");
        }
        return tokens.get(pos++);
    }

    private String peek() {
        return pos < tokens.size() ? tokens.get(pos) : "";
    }

    private boolean accept(String t) {
        if (peek().equals(t) && !isString(peek())) {
            pos++;
            return true;
        }
        return false;
    }

    private static boolean isString(String token) {
        return token.startsWith("'");
    }

    private void expect(String t) throws ChatTemplateException {
        if (!accept(t)) {
            throw new ChatTemplateException("expected '" + t + "' but found '" + peek() + "'");
        }
    }

    private Node ternary() throws ChatTemplateException {
        deeper();
        try {
            return ternaryBody();
        } finally {
            depth--;
        }
    }

    private void deeper() throws ChatTemplateException {
        if (++depth > MAX_DEPTH) {
            throw new ChatTemplateException("the expression nests deeper than " + MAX_DEPTH + " levels");
        }
    }

    private Node ternaryBody() throws ChatTemplateException {
        Node value = or();
        if (accept("if")) {
            Node cond = or();
            Node other = accept("else") ? ternary() : s -> UNDEFINED;
            return s -> JinjaValues.truthy(cond.eval(s)) ? value.eval(s) : other.eval(s);
        }
        return value;
    }

    private Node or() throws ChatTemplateException {
        Node left = and();
        while (accept("or")) {
            Node l = left;
            Node r = and();
            left = s -> {
                Object a = l.eval(s);
                return JinjaValues.truthy(a) ? a : r.eval(s);
            };
        }
        return left;
    }

    private Node and() throws ChatTemplateException {
        Node left = not();
        while (accept("and")) {
            Node l = left;
            Node r = not();
            left = s -> {
                Object a = l.eval(s);
                return !JinjaValues.truthy(a) ? a : r.eval(s);
            };
        }
        return left;
    }

    private Node not() throws ChatTemplateException {
        if (accept("not")) {
            deeper();
            Node inner = not();
            depth--;
            return s -> !JinjaValues.truthy(inner.eval(s));
        }
        return comparison();
    }

    private Node comparison() throws ChatTemplateException {
        Node left = additive();
        while (true) {
            String op = peek();
            if (isString(op)) {
                return left;
            }
            Node l = left;
            if (List.of("==", "!=", "<", ">", "<=", ">=").contains(op)) {
                pos++;
                Node r = additive();
                left = s -> JinjaValues.compare(op, l.eval(s), r.eval(s));
            } else if (op.equals("in") || (op.equals("not") && pos + 1 < tokens.size()
                    && tokens.get(pos + 1).equals("in"))) {
                boolean negate = op.equals("not");
                pos += negate ? 2 : 1;
                Node r = additive();
                left = s -> negate != JinjaValues.contains(r.eval(s), l.eval(s));
            } else if (op.equals("is")) {
                pos++;
                boolean negate = accept("not");
                String test = name("is");
                left = s -> negate != JinjaValues.test(test, l.eval(s));
            } else {
                return left;
            }
        }
    }

    private Node additive() throws ChatTemplateException {
        Node left = multiplicative();
        while (true) {
            String op = peek();
            if (isString(op) || !(op.equals("+") || op.equals("-") || op.equals("~"))) {
                return left;
            }
            pos++;
            Node l = left;
            Node r = multiplicative();
            left = s -> JinjaValues.arithmetic(op, l.eval(s), r.eval(s));
        }
    }

    private Node multiplicative() throws ChatTemplateException {
        Node left = unary();
        while (true) {
            String op = peek();
            if (isString(op) || !List.of("*", "/", "%", "//").contains(op)) {
                return left;
            }
            pos++;
            Node l = left;
            Node r = unary();
            left = s -> JinjaValues.arithmetic(op, l.eval(s), r.eval(s));
        }
    }

    private Node unary() throws ChatTemplateException {
        if (accept("-")) {
            deeper();
            Node inner = unary();
            depth--;
            return s -> JinjaValues.arithmetic("-", 0L, inner.eval(s));
        }
        return filtered();
    }

    private Node filtered() throws ChatTemplateException {
        Node value = postfix();
        while (accept("|")) {
            String name = name("|");
            List<Node> args = peek().equals("(") ? arguments() : List.of();
            Node v = value;
            value = s -> JinjaFunctions.filter(name, v.eval(s), evalAll(args, s));
        }
        return value;
    }

    private Node postfix() throws ChatTemplateException {
        Node value = primary();
        while (true) {
            if (accept(".")) {
                String name = name(".");
                Node target = value;
                if (peek().equals("(")) {
                    List<Node> args = arguments();
                    value = s -> JinjaFunctions.method(target.eval(s), name, evalAll(args, s));
                } else {
                    value = s -> JinjaValues.item(target.eval(s), name);
                }
            } else if (accept("[")) {
                Node target = value;
                Node from = peek().equals(":") ? null : ternary();
                if (accept(":")) {
                    Node to = peek().equals("]") ? null : ternary();
                    expect("]");
                    value = s -> JinjaValues.slice(target.eval(s), from == null ? null : from.eval(s),
                            to == null ? null : to.eval(s));
                } else {
                    expect("]");
                    value = s -> JinjaValues.item(target.eval(s), from.eval(s));
                }
            } else if (peek().equals("(")) {
                Node target = value;
                List<Node> args = arguments();
                value = s -> JinjaFunctions.call(target.eval(s), evalAll(args, s));
            } else {
                return value;
            }
        }
    }

    /** Arguments in parentheses; keyword arguments (k=v) are passed as a trailing map. */
    private List<Node> arguments() throws ChatTemplateException {
        expect("(");
        List<Node> args = new ArrayList<>();
        Map<String, Node> named = new LinkedHashMap<>();
        while (!accept(")")) {
            if (pos + 1 < tokens.size() && tokens.get(pos + 1).equals("=") && !isString(peek())) {
                String key = tokens.get(pos);
                pos += 2;
                named.put(key, ternary());
            } else {
                args.add(ternary());
            }
            if (!peek().equals(")")) {
                expect(",");
            }
        }
        if (!named.isEmpty()) {
            args.add(s -> {
                Map<String, Object> m = new JinjaFunctions.Keywords();
                for (Map.Entry<String, Node> e : named.entrySet()) {
                    m.put(e.getKey(), e.getValue().eval(s));
                }
                return m;
            });
        }
        return args;
    }

    private Node primary() throws ChatTemplateException {
        String t = tokens.size() > pos ? tokens.get(pos++) : "";
        if (isString(t)) {
            String value = t.substring(1);
            return s -> value;
        }
        if (t.isEmpty()) {
            throw new ChatTemplateException("expression ends too early");
        }
        if (Character.isDigit(t.charAt(0))) {
            Object n;
            try {
                n = t.contains(".") ? (Object) Double.parseDouble(t) : (Object) Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new ChatTemplateException("the number " + t + " is not one this template engine reads (a 64-bit"
                        + " integer or a decimal)");
            }
            return s -> n;
        }
        switch (t) {
            case "(" -> {
                Node inner = ternary();
                expect(")");
                return inner;
            }
            case "[" -> {
                List<Node> items = new ArrayList<>();
                while (!accept("]")) {
                    items.add(ternary());
                    if (!peek().equals("]")) {
                        expect(",");
                    }
                }
                return s -> new ArrayList<>(evalAll(items, s));
            }
            case "{" -> {
                List<Node[]> entries = new ArrayList<>();
                while (!accept("}")) {
                    Node k = ternary();
                    expect(":");
                    entries.add(new Node[] {k, ternary()});
                    if (!peek().equals("}")) {
                        expect(",");
                    }
                }
                return s -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    for (Node[] e : entries) {
                        m.put(String.valueOf(e[0].eval(s)), e[1].eval(s));
                    }
                    return m;
                };
            }
            case "true", "True" -> {
                return s -> Boolean.TRUE;
            }
            case "false", "False" -> {
                return s -> Boolean.FALSE;
            }
            case "none", "None" -> {
                return s -> null;
            }
            default -> {
                if (!Character.isLetter(t.charAt(0)) && t.charAt(0) != '_') {
                    throw new ChatTemplateException("unexpected '" + t + "' in expression");
                }
                return s -> s.lookup(t);
            }
        }
    }

    static List<Object> evalAll(List<Node> nodes, Scope s) throws ChatTemplateException {
        List<Object> out = new ArrayList<>();
        for (Node n : nodes) {
            out.add(n.eval(s));
        }
        return out;
    }

}
