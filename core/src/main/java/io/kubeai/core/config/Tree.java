package io.kubeai.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a configuration tree (maps, lists, strings, numbers, booleans, as any YAML or JSON
 * parser yields) field by field, collecting every error with its path instead of stopping at
 * the first. Unknown keys are errors: a misspelt knob must not be silently ignored.
 */
public final class Tree {
    private final Map<String, Object> map;
    private final String path;
    private final List<ValidationError> errors;

    private Tree(Map<String, Object> map, String path, List<ValidationError> errors) {
        this.map = map;
        this.path = path;
        this.errors = errors;
    }

    /** The root of a document; {@code errors} collects every problem found while reading it. */
    @SuppressWarnings("unchecked")
    public static Tree root(Object document, List<ValidationError> errors) {
        if (document == null) {
            return new Tree(Map.of(), "", errors);
        }
        if (!(document instanceof Map)) {
            errors.add(new ValidationError("(document)", "expected a mapping, found " + kind(document)));
            return new Tree(Map.of(), "", errors);
        }
        return new Tree((Map<String, Object>) document, "", errors);
    }

    public String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public boolean has(String key) {
        return map.containsKey(key) && map.get(key) != null;
    }

    /** Rejects keys not in {@code allowed}, naming the allowed set. */
    public void allowOnly(String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (String k : map.keySet()) {
            if (!ok.contains(k)) {
                errors.add(new ValidationError(path(k), "unknown field; expected one of " + new TreeSet<>(ok)));
            }
        }
    }

    @SuppressWarnings("unchecked")
    public Tree child(String key) {
        Object v = map.get(key);
        if (v == null) {
            return new Tree(Map.of(), path(key), errors);
        }
        if (!(v instanceof Map)) {
            errors.add(new ValidationError(path(key), "expected a mapping, found " + kind(v)));
            return new Tree(Map.of(), path(key), errors);
        }
        return new Tree((Map<String, Object>) v, path(key), errors);
    }

    /** A list of mappings, each as a tree at {@code key[i]}. */
    @SuppressWarnings("unchecked")
    public List<Tree> list(String key) {
        Object v = map.get(key);
        List<Tree> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof List<?> l)) {
            errors.add(new ValidationError(path(key), "expected a list, found " + kind(v)));
            return out;
        }
        for (int i = 0; i < l.size(); i++) {
            Object item = l.get(i);
            String at = path(key) + "[" + i + "]";
            if (item instanceof Map) {
                out.add(new Tree((Map<String, Object>) item, at, errors));
            } else {
                errors.add(new ValidationError(at, "expected a mapping, found " + kind(item)));
            }
        }
        return out;
    }

    public String string(String key, String dflt) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        errors.add(new ValidationError(path(key), "expected a string, found " + kind(v)));
        return dflt;
    }

    public long integer(String key, long dflt, long min, long max) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        long n;
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof java.math.BigInteger) {
            n = ((Number) v).longValue();
        } else if (v instanceof String s && s.strip().matches("-?\\d+")) {
            n = Long.parseLong(s.strip());
        } else {
            errors.add(new ValidationError(path(key), "expected an integer, found " + describe(v)));
            return dflt;
        }
        if (n < min || n > max) {
            errors.add(new ValidationError(path(key), "must be within " + min + ".." + max + ", was " + n));
            return dflt;
        }
        return n;
    }

    public double number(String key, double dflt, double min, double max) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        double n;
        if (v instanceof Number num) {
            n = num.doubleValue();
        } else {
            errors.add(new ValidationError(path(key), "expected a number, found " + describe(v)));
            return dflt;
        }
        if (!(n >= min && n <= max)) {
            errors.add(new ValidationError(path(key), "must be within " + min + ".." + max + ", was " + n));
            return dflt;
        }
        return n;
    }

    public boolean bool(String key, boolean dflt) {
        Object v = map.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        errors.add(new ValidationError(path(key), "expected true or false, found " + describe(v)));
        return dflt;
    }

    /** One of {@code allowed}, matched case-insensitively, returned in its canonical spelling. */
    public String choice(String key, String dflt, List<String> allowed) {
        String s = string(key, null);
        if (s == null) {
            return dflt;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(s.strip())) {
                return a;
            }
        }
        errors.add(new ValidationError(path(key), "\"" + s + "\" is not one of " + allowed));
        return dflt;
    }

    /** How many errors the whole document has so far (to tell whether reading a part added any). */
    public int errorCount() {
        return errors.size();
    }

    public void error(String key, String message) {
        errors.add(new ValidationError(path(key), message));
    }

    public Map<String, Object> raw() {
        return new LinkedHashMap<>(map);
    }

    private static String describe(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : kind(v) + " " + v;
    }

    private static String kind(Object v) {
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof List) {
            return "a list";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Number) {
            return "a number";
        }
        return v.getClass().getSimpleName();
    }
}
