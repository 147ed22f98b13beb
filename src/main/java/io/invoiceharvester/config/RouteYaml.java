package io.invoiceharvester.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Where a position in a route file is, in the words of the routes: the route (or route configuration, or
 * template) around it, the step around it, and the key that step is written under ("to", "bean"). Read from the
 * YAML's node tree; a file that does not parse is read line by line instead, so the step is only the nearest
 * one above.
 */
record RouteYaml(String route, String step, String stepKey, boolean exact) {

    private static final List<String> TOP_LEVEL = List.of("route", "routeConfiguration", "routeTemplate", "templatedRoute");
    private static final Pattern ID_LINE = Pattern.compile("^\\s*(?:-\\s+)?(?:id|routeId):\\s*['\"]?([^'\"#\\s]+)");
    private static final Pattern TOP_LINE = Pattern.compile("^-\\s+(" + String.join("|", TOP_LEVEL) + "):");

    /** @param line0 and {@code column0} count from 0, as YAML marks do */
    static RouteYaml at(String text, int line0, int column0) {
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().build()).composeString(text);
        } catch (RuntimeException unparsable) {
            return nearestAbove(text, line0);
        }
        List<Object[]> path = new ArrayList<>(); // {key, mapping} pairs from the outside in
        root.ifPresent(node -> descend(node, null, line0, column0, path));
        String route = null;
        String step = null;
        String stepKey = null;
        for (Object[] entry : path) {
            String key = (String) entry[0];
            MappingNode mapping = (MappingNode) entry[1];
            String id = scalar(mapping, "id");
            if (route == null && TOP_LEVEL.contains(key)) {
                route = id != null ? id : scalar(mapping, "routeId");
            } else if (key != null && !"from".equals(key)) {
                stepKey = key;
                step = id != null ? id : step;
            }
        }
        return new RouteYaml(route, step, stepKey, true);
    }

    private static void descend(Node node, String key, int line, int column, List<Object[]> path) {
        if (!contains(node, line, column)) {
            return;
        }
        if (node instanceof MappingNode mapping) {
            path.add(new Object[] {key, mapping});
            for (NodeTuple tuple : mapping.getValue()) {
                String childKey = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : null;
                descend(tuple.getValueNode(), childKey, line, column, path);
            }
        } else if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                // a step is a one-key mapping in a list: its key names the step's kind
                if (item instanceof MappingNode one && one.getValue().size() == 1 && contains(item, line, column)) {
                    NodeTuple only = one.getValue().get(0);
                    descend(only.getValueNode(), ((ScalarNode) only.getKeyNode()).getValue(), line, column, path);
                } else {
                    descend(item, key, line, column, path);
                }
            }
        }
    }

    private static boolean contains(Node node, int line, int column) {
        Mark start = node.getStartMark().orElse(null);
        Mark end = node.getEndMark().orElse(null);
        if (start == null || end == null) {
            return false;
        }
        return compare(start, line, column) <= 0 && compare(end, line, column) > 0;
    }

    private static int compare(Mark mark, int line, int column) {
        return mark.getLine() != line ? Integer.compare(mark.getLine(), line) : Integer.compare(mark.getColumn(), column);
    }

    private static String scalar(MappingNode mapping, String key) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key) && tuple.getValueNode() instanceof ScalarNode v) {
                return v.getValue();
            }
        }
        return null;
    }

    /** A file that does not parse: the route begun last above the line, and the last step id above it. */
    private static RouteYaml nearestAbove(String text, int line0) {
        String route = null;
        String step = null;
        boolean routeIdNext = false;
        List<String> lines = text.lines().toList();
        for (int i = 0; i <= line0 && i < lines.size(); i++) {
            String line = lines.get(i);
            if (TOP_LINE.matcher(line).find()) {
                route = null;
                step = null;
                routeIdNext = true;
            }
            Matcher id = ID_LINE.matcher(line);
            if (id.find()) {
                if (routeIdNext) {
                    route = id.group(1);
                    routeIdNext = false;
                } else {
                    step = id.group(1);
                }
            }
        }
        return new RouteYaml(route, step, null, false);
    }

    /** "route drop-pdf, step drop-name: " (or "near step" when the file does not parse), or "" when nothing is known. */
    String words() {
        StringBuilder words = new StringBuilder();
        if (route != null) {
            words.append("route ").append(route);
        }
        if (step != null) {
            words.append(words.isEmpty() ? "" : ", ").append(exact ? "step " : "near step ").append(step);
        }
        return words.isEmpty() ? "" : words + ": ";
    }
}
