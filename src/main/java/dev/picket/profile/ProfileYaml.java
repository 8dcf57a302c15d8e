package dev.picket.profile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads one YAML document into a Jackson tree, refusing what a profile never needs and an attacker might
 * use: more than {@link ProfileLimits#MAX_DOCUMENT_BYTES}, nesting deeper than
 * {@link ProfileLimits#MAX_NESTING_DEPTH}, aliases ({@code *name}: Jackson would otherwise hand back the
 * anchor's name as a plain string, silently changing the value), duplicate keys (which one wins is not what
 * a reader of the file expects) and more than one document.
 */
final class ProfileYaml {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final YAMLFactory FACTORY;

    static {
        LoaderOptions loader = new LoaderOptions();
        loader.setCodePointLimit(ProfileLimits.MAX_DOCUMENT_BYTES);
        loader.setNestingDepthLimit(ProfileLimits.MAX_NESTING_DEPTH + 1);
        loader.setMaxAliasesForCollections(10);
        loader.setAllowDuplicateKeys(false);
        loader.setAllowRecursiveKeys(false);
        FACTORY = YAMLFactory.builder()
                .loaderOptions(loader)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(ProfileLimits.MAX_NESTING_DEPTH + 1)
                        .maxStringLength(ProfileLimits.MAX_DOCUMENT_BYTES)
                        .maxNumberLength(64)
                        .maxDocumentLength(ProfileLimits.MAX_DOCUMENT_BYTES)
                        .build())
                .build();
    }

    private ProfileYaml() {
    }

    /** The document's tree, or null with the reasons added to {@code problems}. Never throws. */
    static JsonNode read(byte[] bytes, Problems problems) {
        if (bytes == null || bytes.length == 0) {
            problems.add("", "the profile is empty");
            return null;
        }
        if (bytes.length > ProfileLimits.MAX_DOCUMENT_BYTES) {
            problems.add("", "the profile has more than " + ProfileLimits.MAX_DOCUMENT_BYTES + " bytes");
            return null;
        }
        try (YAMLParser p = FACTORY.createParser(bytes)) {
            return build(p, problems);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            problems.add("", describe(e));
            return null;
        }
    }

    private static JsonNode build(YAMLParser p, Problems problems) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            problems.add("", "the profile is empty");
            return null;
        }
        Deque<JsonNode> containers = new ArrayDeque<>();
        Deque<String> paths = new ArrayDeque<>();
        String field = null;
        JsonNode root = null;
        while (t != null) {
            if (p.isCurrentAlias()) {
                problems.add(pathOf(paths, containers, field), at(p.currentTokenLocation())
                        + "YAML aliases (*" + Text.oneLine(p.getText()) + ") are not supported; write the value out");
                return null;
            }
            JsonNode node = null;
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    if (containers.size() >= ProfileLimits.MAX_NESTING_DEPTH) {
                        problems.add("", at(p.currentTokenLocation()) + "nested deeper than "
                                + ProfileLimits.MAX_NESTING_DEPTH + " levels");
                        return null;
                    }
                    JsonNode container = t == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
                    String path = pathOf(paths, containers, field);
                    root = attach(root, containers, field, container);
                    containers.push(container);
                    paths.push(path);
                    field = null;
                }
                case END_OBJECT, END_ARRAY -> {
                    containers.pop();
                    paths.pop();
                    field = null;
                }
                case FIELD_NAME -> {
                    field = p.currentName();
                    if (((ObjectNode) containers.peek()).has(field)) {
                        problems.add(Problems.child(paths.peek(), field), at(p.currentTokenLocation())
                                + "duplicate key; each key may appear once");
                        return null;
                    }
                }
                case VALUE_STRING -> node = NODES.textNode(p.getText());
                case VALUE_NUMBER_INT -> node = switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> node = NODES.numberNode(p.getDoubleValue());
                case VALUE_TRUE -> node = NODES.booleanNode(true);
                case VALUE_FALSE -> node = NODES.booleanNode(false);
                case VALUE_NULL -> node = NODES.nullNode();
                default -> node = NODES.pojoNode("binary or tagged value");
            }
            if (node != null) {
                root = attach(root, containers, field, node);
                field = null;
            }
            if (containers.isEmpty() && root != null) {
                break;
            }
            t = p.nextToken();
        }
        if (p.nextToken() != null) {
            problems.add("", at(p.currentTokenLocation())
                    + "the file holds more than one YAML document; put one profile per file");
            return null;
        }
        return root;
    }

    private static JsonNode attach(JsonNode root, Deque<JsonNode> containers, String field, JsonNode node) {
        JsonNode parent = containers.peek();
        if (parent == null) {
            return node;
        }
        if (parent instanceof ArrayNode a) {
            a.add(node);
        } else {
            ((ObjectNode) parent).set(field, node);
        }
        return root;
    }

    private static String pathOf(Deque<String> paths, Deque<JsonNode> containers, String field) {
        JsonNode parent = containers.peek();
        if (parent == null) {
            return "";
        }
        if (parent instanceof ArrayNode a) {
            return Problems.index(paths.peek(), a.size());
        }
        return Problems.child(paths.peek(), field == null ? "" : field);
    }

    private static String at(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 1 ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
    }

    private static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException m) {
                Mark mark = m.getProblemMark();
                String where = mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
                return "not valid YAML: " + where + Text.oneLine(m.getProblem());
            }
        }
        if (e instanceof StackOverflowError) {
            return "not valid YAML: nested too deeply";
        }
        if (e instanceof JsonProcessingException j) {
            return "not valid YAML: " + at(j.getLocation()) + Text.oneLine(j.getOriginalMessage());
        }
        return "not valid YAML: " + Text.oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
