package dev.picket.injector.install;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A small strict schema for the custom resources fabric8 has no model for (cert-manager, Cilium, Calico,
 * network-policy-api, WorkloadProfile). Objects list every field they allow; an unknown field, a missing
 * required one, a wrong type or a value outside its enum is a problem, reported with its path.
 */
interface Shape {

    void check(JsonNode node, String path, List<String> problems);

    default List<String> problems(JsonNode node) {
        List<String> problems = new ArrayList<>();
        check(node, "", problems);
        return problems;
    }

    static Shape string() {
        return (node, path, problems) -> {
            if (!node.isTextual()) {
                problems.add(path + ": expected a string, got " + node.getNodeType());
            }
        };
    }

    static Shape matching(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return (node, path, problems) -> {
            if (!node.isTextual() || !pattern.matcher(node.asText()).matches()) {
                problems.add(path + ": expected a string matching " + regex + ", got " + node);
            }
        };
    }

    static Shape oneOf(String... values) {
        Set<String> allowed = Set.of(values);
        return (node, path, problems) -> {
            if (!node.isTextual() || !allowed.contains(node.asText())) {
                problems.add(path + ": expected one of " + List.of(values) + ", got " + node);
            }
        };
    }

    static Shape integer(long min, long max) {
        return (node, path, problems) -> {
            if (!node.isIntegralNumber() || node.asLong() < min || node.asLong() > max) {
                problems.add(path + ": expected an integer in [" + min + ", " + max + "], got " + node);
            }
        };
    }

    static Shape number(double minExclusive) {
        return (node, path, problems) -> {
            if (!node.isNumber() || node.asDouble() <= minExclusive) {
                problems.add(path + ": expected a number above " + minExclusive + ", got " + node);
            }
        };
    }

    static Shape bool() {
        return (node, path, problems) -> {
            if (!node.isBoolean()) {
                problems.add(path + ": expected true or false, got " + node);
            }
        };
    }

    /** A map of string to string (labels, matchLabels). */
    static Shape stringMap() {
        return (node, path, problems) -> {
            if (!node.isObject()) {
                problems.add(path + ": expected a map of strings, got " + node.getNodeType());
                return;
            }
            node.properties().forEach(e -> {
                if (!e.getValue().isTextual()) {
                    problems.add(path + "." + e.getKey() + ": expected a string, got " + e.getValue());
                }
            });
        };
    }

    static Shape list(Shape item) {
        return list(item, 0);
    }

    static Shape list(Shape item, int minItems) {
        return (node, path, problems) -> {
            if (!node.isArray()) {
                problems.add(path + ": expected a list, got " + node.getNodeType());
                return;
            }
            if (node.size() < minItems) {
                problems.add(path + ": expected at least " + minItems + " item(s)");
            }
            for (int i = 0; i < node.size(); i++) {
                item.check(node.get(i), path + "[" + i + "]", problems);
            }
        };
    }

    static Obj object() {
        return new Obj();
    }

    /** An object whose fields are all declared; by default any subset may be present. */
    final class Obj implements Shape {
        private final Map<String, Shape> fields = new LinkedHashMap<>();
        private final Set<String> required = new java.util.HashSet<>();
        private boolean exactlyOne;

        Obj field(String name, Shape shape) {
            fields.put(name, shape);
            return this;
        }

        Obj required(String name, Shape shape) {
            required.add(name);
            return field(name, shape);
        }

        /** Exactly one of the declared fields must be set (a union, as the upstream CRDs require). */
        Obj exactlyOne() {
            exactlyOne = true;
            return this;
        }

        @Override
        public void check(JsonNode node, String path, List<String> problems) {
            if (!node.isObject()) {
                problems.add(path + ": expected an object, got " + node.getNodeType());
                return;
            }
            for (String name : required) {
                if (!node.has(name)) {
                    problems.add(path + "." + name + ": required");
                }
            }
            if (exactlyOne && node.size() != 1) {
                problems.add(path + ": exactly one of " + fields.keySet() + " must be set, got " + node.size());
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                Shape shape = fields.get(e.getKey());
                if (shape == null) {
                    problems.add(path + "." + e.getKey() + ": unknown field (known: " + fields.keySet() + ")");
                } else {
                    shape.check(e.getValue(), path + "." + e.getKey(), problems);
                }
            }
        }
    }
}
