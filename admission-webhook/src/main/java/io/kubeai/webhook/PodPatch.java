package io.kubeai.webhook;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An RFC 6902 JSON Patch built against a working copy of the object: every operation is applied to
 * the copy as it is recorded, so a later operation sees the maps and arrays an earlier one created,
 * and the copy is at every moment what the API server will get by applying the patch. Maps are
 * created when absent (a pod without annotations gets {@code add /metadata/annotations {}} first),
 * arrays are appended to with {@code /-}, keys are escaped ({@code kubeai.io/queue} is
 * {@code kubeai.io~1queue}), and an operation that would change nothing is not recorded, so a
 * second run on the patched object yields an empty patch. O(path length) per operation.
 */
final class PodPatch {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private final ObjectNode doc;
    private final ArrayNode ops = NODES.arrayNode();

    PodPatch(ObjectNode original) {
        this.doc = original.deepCopy();
    }

    /** The object as it is after the operations so far. */
    ObjectNode current() {
        return doc;
    }

    ArrayNode operations() {
        return ops;
    }

    boolean isEmpty() {
        return ops.isEmpty();
    }

    /** The node at a path of the working copy; a missing node when any step is absent. */
    JsonNode at(List<String> path) {
        JsonNode n = doc;
        for (String step : path) {
            n = n.isArray() ? n.path(index(step)) : n.path(step);
        }
        return n;
    }

    /** Sets a member of an object (creating the maps on the way), unless it already has that value. */
    void set(List<String> path, JsonNode value) {
        ObjectNode parent = ensureObject(path.subList(0, path.size() - 1));
        String key = path.get(path.size() - 1);
        JsonNode old = parent.get(key);
        if (value.equals(old)) {
            return;
        }
        ops.add(op(old == null ? "add" : "replace", pointer(path)).set("value", value.deepCopy()));
        parent.set(key, value.deepCopy());
    }

    void set(List<String> path, String value) {
        set(path, NODES.stringNode(value));
    }

    /** Removes a member of an object if it is there. */
    void remove(List<String> path) {
        JsonNode parent = at(path.subList(0, path.size() - 1));
        String key = path.get(path.size() - 1);
        if (parent instanceof ObjectNode o && o.has(key)) {
            ops.add(op("remove", pointer(path)));
            o.remove(key);
        }
    }

    /** Appends to an array, creating it when absent. */
    void append(List<String> arrayPath, JsonNode value) {
        JsonNode arr = at(arrayPath);
        if (arr.isArray()) {
            ops.add(op("add", pointer(arrayPath) + "/-").set("value", value.deepCopy()));
            ((ArrayNode) arr).add(value.deepCopy());
        } else {
            ArrayNode fresh = NODES.arrayNode();
            fresh.add(value.deepCopy());
            set(arrayPath, fresh);
        }
    }

    /**
     * The object at a path, created (with an {@code add} of an empty map) where absent or null.
     * Steps through existing arrays by index; only maps are ever created.
     */
    private ObjectNode ensureObject(List<String> path) {
        JsonNode n = doc;
        for (int i = 0; i < path.size(); i++) {
            String step = path.get(i);
            JsonNode next = n.isArray() ? n.path(index(step)) : n.path(step);
            boolean last = i == path.size() - 1;
            if (last ? !next.isObject() : !next.isContainer()) {
                if (!(n instanceof ObjectNode o)) {
                    throw new IllegalStateException("cannot create " + pointer(path.subList(0, i + 1)) + " inside a "
                            + n.getNodeType());
                }
                ObjectNode fresh = NODES.objectNode();
                ops.add(op(o.has(step) ? "replace" : "add", pointer(path.subList(0, i + 1))).set("value", fresh.deepCopy()));
                o.set(step, fresh);
                next = fresh;
            }
            n = next;
        }
        return (ObjectNode) n;
    }

    private static ObjectNode op(String op, String path) {
        ObjectNode o = NODES.objectNode();
        o.put("op", op);
        o.put("path", path);
        return o;
    }

    private static int index(String step) {
        try {
            return Integer.parseInt(step);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** An RFC 6901 pointer: {@code ~} is written {@code ~0} and {@code /} is written {@code ~1}. */
    static String pointer(List<String> path) {
        StringBuilder sb = new StringBuilder();
        for (String step : path) {
            sb.append('/').append(step.replace("~", "~0").replace("/", "~1"));
        }
        return sb.toString();
    }
}
