package org.openledger.studio.gpu.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What Jinja values mean: truth, equality, ordering, arithmetic, indexing and membership. */
final class JinjaValues {

    private JinjaValues() {
    }

    static boolean truthy(Object v) {
        if (v == null || v == JinjaExpression.UNDEFINED) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    static Object item(Object target, Object key) throws ChatTemplateException {
        if (target instanceof Map<?, ?> m) {
            return m.containsKey(key) ? m.get(key) : JinjaExpression.UNDEFINED;
        }
        if (target instanceof List<?> l && key instanceof Number n) {
            int i = n.intValue() < 0 ? l.size() + n.intValue() : n.intValue();
            return i >= 0 && i < l.size() ? l.get(i) : JinjaExpression.UNDEFINED;
        }
        if (target instanceof String str && key instanceof Number n) {
            int i = n.intValue() < 0 ? str.length() + n.intValue() : n.intValue();
            return i >= 0 && i < str.length() ? String.valueOf(str.charAt(i)) : JinjaExpression.UNDEFINED;
        }
        if (target == JinjaExpression.UNDEFINED || target == null) {
            return JinjaExpression.UNDEFINED;
        }
        return JinjaExpression.UNDEFINED;
    }

    static Object slice(Object target, Object from, Object to) throws ChatTemplateException {
        int size = target instanceof List<?> l ? l.size() : target instanceof String s ? s.length() : -1;
        if (size < 0) {
            throw new ChatTemplateException("cannot slice " + describe(target));
        }
        int a = sliceBound(from, 0);
        int b = sliceBound(to, size);
        a = Math.max(0, Math.min(size, a < 0 ? size + a : a));
        b = Math.max(a, Math.min(size, b < 0 ? size + b : b));
        return target instanceof List<?> l ? new ArrayList<>(l.subList(a, b)) : ((String) target).substring(a, b);
    }

    /** A slice bound: none or undefined for the default, else an integer (as Python, which refuses 1.5 or 'a'). */
    private static int sliceBound(Object bound, int fallback) throws ChatTemplateException {
        if (bound == null || bound == JinjaExpression.UNDEFINED) {
            return fallback;
        }
        if (bound instanceof Long || bound instanceof Integer) {
            long v = ((Number) bound).longValue();
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        }
        throw new ChatTemplateException("slice indices must be integers or none, not " + describe(bound));
    }

    static boolean contains(Object container, Object value) {
        if (container instanceof String s) {
            return s.contains(String.valueOf(value));
        }
        if (container instanceof Map<?, ?> m) {
            return m.containsKey(value);
        }
        if (container instanceof List<?> l) {
            return l.stream().anyMatch(x -> equal(x, value));
        }
        return false;
    }

    static boolean test(String test, Object v) throws ChatTemplateException {
        return switch (test) {
            case "defined" -> v != JinjaExpression.UNDEFINED;
            case "undefined" -> v == JinjaExpression.UNDEFINED;
            case "none" -> v == null;
            case "string" -> v instanceof String;
            case "number" -> v instanceof Number;
            case "mapping" -> v instanceof Map;
            case "sequence", "iterable" -> v instanceof List || v instanceof String;
            case "true" -> Boolean.TRUE.equals(v);
            case "false" -> Boolean.FALSE.equals(v);
            default -> throw new ChatTemplateException("unknown test 'is " + test + "'");
        };
    }

    static boolean equal(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a == JinjaExpression.UNDEFINED) {
            a = null;
        }
        if (b == JinjaExpression.UNDEFINED) {
            b = null;
        }
        return a == null ? b == null : a.equals(b);
    }

    static Object compare(String op, Object a, Object b) throws ChatTemplateException {
        if (op.equals("==")) {
            return equal(a, b);
        }
        if (op.equals("!=")) {
            return !equal(a, b);
        }
        int c;
        if (a instanceof Number x && b instanceof Number y) {
            c = Double.compare(x.doubleValue(), y.doubleValue());
        } else if (a instanceof String x && b instanceof String y) {
            c = x.compareTo(y);
        } else {
            throw new ChatTemplateException("cannot compare " + describe(a) + " with " + describe(b));
        }
        return switch (op) {
            case "<" -> c < 0;
            case ">" -> c > 0;
            case "<=" -> c <= 0;
            default -> c >= 0;
        };
    }

    static Object arithmetic(String op, Object a, Object b) throws ChatTemplateException {
        if (op.equals("~")) {
            return JinjaFunctions.str(a) + JinjaFunctions.str(b);
        }
        if (op.equals("+") && a instanceof String x && b instanceof String y) {
            return x + y;
        }
        if (op.equals("+") && a instanceof List<?> x && b instanceof List<?> y) {
            List<Object> l = new ArrayList<>(x);
            l.addAll(y);
            return l;
        }
        if (a instanceof Number x && b instanceof Number y) {
            boolean integers = x instanceof Long && y instanceof Long;
            long p = x.longValue();
            long q = y.longValue();
            if ((op.equals("/") || op.equals("//") || op.equals("%")) && y.doubleValue() == 0) {
                throw new ChatTemplateException("division by zero ('" + op + "' with " + describe(b) + ")");
            }
            return switch (op) {
                case "+" -> integers ? (Object) (p + q) : (Object) (x.doubleValue() + y.doubleValue());
                case "-" -> integers ? (Object) (p - q) : (Object) (x.doubleValue() - y.doubleValue());
                case "*" -> integers ? (Object) (p * q) : (Object) (x.doubleValue() * y.doubleValue());
                case "/" -> x.doubleValue() / y.doubleValue();
                case "//" -> integers ? (Object) Math.floorDiv(p, q)
                        : (Object) Math.floor(x.doubleValue() / y.doubleValue());
                default -> integers ? (Object) Math.floorMod(p, q) : (Object) (x.doubleValue() % y.doubleValue());
            };
        }
        throw new ChatTemplateException("cannot apply '" + op + "' to " + describe(a) + " and " + describe(b));
    }

    static String describe(Object v) {
        if (v == JinjaExpression.UNDEFINED) {
            return "an undefined value";
        }
        return v == null ? "none" : v.getClass().getSimpleName().toLowerCase() + " " + abbreviate(v);
    }

    static String abbreviate(Object v) {
        String s = String.valueOf(v);
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    static String toJson(Object v) {
        try {
            return new ObjectMapper().writeValueAsString(v == JinjaExpression.UNDEFINED ? null : v);
        } catch (JsonProcessingException e) {
            return "null";
        }
    }
}
