package org.openledger.studio.gpu.tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The filters, string/dict methods and global functions chat templates use. */
final class JinjaFunctions {

    private JinjaFunctions() {
    }

    /** Keyword arguments, passed to a callee as its last argument. */
    static final class Keywords extends LinkedHashMap<String, Object> {
    }

    /** A global callable such as raise_exception or range. */
    interface Callable {
        Object call(List<Object> args) throws ChatTemplateException;
    }

    static String str(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return String.valueOf(d);
        }
        if (v instanceof Map || v instanceof List) {
            return JinjaValues.toJson(v);
        }
        return v.toString();
    }

    static Object call(Object target, List<Object> args) throws ChatTemplateException {
        if (target instanceof Callable c) {
            return c.call(args);
        }
        throw new ChatTemplateException("cannot call " + JinjaValues.describe(target));
    }

    static Object filter(String name, Object v, List<Object> args) throws ChatTemplateException {
        return switch (name) {
            case "trim" -> str(v).strip();
            case "upper" -> str(v).toUpperCase();
            case "lower" -> str(v).toLowerCase();
            case "capitalize" -> capitalize(str(v));
            case "string" -> str(v);
            case "length", "count" -> (long) length(v);
            case "tojson" -> JinjaValues.toJson(v);
            case "first" -> JinjaValues.item(v, 0L);
            case "last" -> JinjaValues.item(v, -1L);
            case "default", "d" -> v == JinjaExpression.UNDEFINED || (v == null && args.size() > 1
                    && JinjaValues.truthy(args.get(1))) ? args.get(0) : v;
            case "join" -> {
                String sep = args.isEmpty() ? "" : str(args.get(0));
                List<String> parts = new ArrayList<>();
                for (Object o : list(v)) {
                    parts.add(str(o));
                }
                yield String.join(sep, parts);
            }
            case "list" -> new ArrayList<>(list(v));
            case "int" -> v instanceof Number n ? (Object) n.longValue() : (Object) Long.parseLong(str(v).trim());
            case "reverse" -> {
                List<Object> l = new ArrayList<>(list(v));
                java.util.Collections.reverse(l);
                yield l;
            }
            case "items" -> items(v);
            default -> throw new ChatTemplateException("the filter '" + name + "' is not supported");
        };
    }

    static Object method(Object target, String name, List<Object> args) throws ChatTemplateException {
        if (target instanceof String s) {
            return switch (name) {
                case "strip" -> args.isEmpty() ? s.strip() : strip(s, str(args.get(0)), true, true);
                case "lstrip" -> args.isEmpty() ? s.stripLeading() : strip(s, str(args.get(0)), true, false);
                case "rstrip" -> args.isEmpty() ? s.stripTrailing() : strip(s, str(args.get(0)), false, true);
                case "startswith" -> s.startsWith(str(args.get(0)));
                case "endswith" -> s.endsWith(str(args.get(0)));
                case "upper" -> s.toUpperCase();
                case "lower" -> s.toLowerCase();
                case "title", "capitalize" -> capitalize(s);
                case "replace" -> s.replace(str(args.get(0)), str(args.get(1)));
                case "split" -> {
                    List<Object> parts = new ArrayList<>();
                    if (args.isEmpty()) {
                        for (String p : s.strip().split("\\s+")) {
                            if (!p.isEmpty()) {
                                parts.add(p);
                            }
                        }
                    } else {
                        parts.addAll(List.of(s.split(java.util.regex.Pattern.quote(str(args.get(0))), -1)));
                    }
                    yield parts;
                }
                default -> throw new ChatTemplateException("strings have no method '" + name + "'");
            };
        }
        if (target instanceof Map<?, ?> m) {
            return switch (name) {
                case "get" -> m.containsKey(args.get(0)) ? m.get(args.get(0)) : (args.size() > 1 ? args.get(1) : null);
                case "items" -> items(m);
                case "keys" -> new ArrayList<>(m.keySet());
                case "values" -> new ArrayList<>(m.values());
                default -> throw new ChatTemplateException("mappings have no method '" + name + "'");
            };
        }
        throw new ChatTemplateException("cannot call ." + name + "() on " + JinjaValues.describe(target));
    }

    private static String strip(String s, String chars, boolean left, boolean right) {
        int a = 0;
        int b = s.length();
        while (left && a < b && chars.indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        while (right && b > a && chars.indexOf(s.charAt(b - 1)) >= 0) {
            b--;
        }
        return s.substring(a, b);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1).toLowerCase();
    }

    private static List<Object> items(Object v) throws ChatTemplateException {
        if (!(v instanceof Map<?, ?> m)) {
            throw new ChatTemplateException("items() needs a mapping, got " + JinjaValues.describe(v));
        }
        List<Object> out = new ArrayList<>();
        m.forEach((k, val) -> out.add(new ArrayList<>(java.util.Arrays.asList(k, val))));
        return out;
    }

    static int length(Object v) throws ChatTemplateException {
        if (v instanceof String s) {
            return s.length();
        }
        if (v instanceof List<?> l) {
            return l.size();
        }
        if (v instanceof Map<?, ?> m) {
            return m.size();
        }
        throw new ChatTemplateException("cannot take the length of " + JinjaValues.describe(v));
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object v) throws ChatTemplateException {
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        if (v instanceof Map<?, ?> m) {
            return new ArrayList<>(m.keySet());
        }
        if (v instanceof String s) {
            List<Object> chars = new ArrayList<>();
            s.chars().forEach(c -> chars.add(String.valueOf((char) c)));
            return chars;
        }
        if (v == null || v == JinjaExpression.UNDEFINED) {
            return List.of();
        }
        throw new ChatTemplateException("cannot iterate over " + JinjaValues.describe(v));
    }

    /** The most numbers one {@code range} gives: a chat template counts messages, not millions. */
    static final int MAX_RANGE = 100_000;

    /** The globals a template may call. */
    static Map<String, Object> globals() {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("raise_exception", (Callable) args -> {
            throw new ChatTemplateException(args.isEmpty() ? "the chat template refused the conversation"
                    : str(args.get(0)));
        });
        g.put("range", (Callable) args -> {
            if (args.isEmpty() || args.size() > 3) {
                throw new ChatTemplateException("range takes 1 to 3 integers, not " + args.size() + " arguments");
            }
            long[] v = new long[args.size()];
            for (int i = 0; i < v.length; i++) {
                if (!(args.get(i) instanceof Long || args.get(i) instanceof Integer)) {
                    throw new ChatTemplateException("range takes integers, not " + JinjaValues.describe(args.get(i)));
                }
                v[i] = ((Number) args.get(i)).longValue();
            }
            long from = v.length > 1 ? v[0] : 0;
            long to = v.length > 1 ? v[1] : v[0];
            long step = v.length > 2 ? v[2] : 1;
            if (step == 0) {
                throw new ChatTemplateException("range's step must not be zero");
            }
            List<Object> out = new ArrayList<>();
            for (long i = from; step > 0 ? i < to : i > to; i += step) {
                if (out.size() >= MAX_RANGE) {
                    throw new ChatTemplateException("range gives more than " + MAX_RANGE + " numbers");
                }
                out.add(i);
                if (i > Long.MAX_VALUE - step && step > 0 || i < Long.MIN_VALUE - step && step < 0) {
                    break;
                }
            }
            return out;
        });
        g.put("namespace", (Callable) args -> {
            JinjaExpression.Namespace ns = new JinjaExpression.Namespace();
            for (Object a : args) {
                if (a instanceof Keywords k) {
                    ns.putAll(k);
                }
            }
            return ns;
        });
        g.put("strftime_now", (Callable) args -> java.time.format.DateTimeFormatter.ofPattern("dd MMM yyyy")
                .format(java.time.LocalDate.now()));
        return g;
    }
}
