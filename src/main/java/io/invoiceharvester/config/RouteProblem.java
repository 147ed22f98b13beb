package io.invoiceharvester.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.invoiceharvester.model.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.NamedNode;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.component.bean.MethodNotFoundException;
import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.apache.camel.dsl.yaml.common.exception.UnsupportedFieldException;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * Why the routes cannot start, as one line an engineer can act on: the file and line, the route and its step,
 * the cause, and what to do ("drop.camel.yaml:20: route drop-pdf, step write-to-drop: no property" naming a
 * misspelt drop key, "did you mean harvester.drop.endpoint?"). Camel names the route that failed and its
 * top-level step, not the step inside it, and words the cause for Camel's developers; the route model keeps
 * each step's file and line, so the step is found by what the cause names (a method, a scheme, a placeholder).
 * An edited route copy that cannot start is a configuration error (exit 2): a service manager does not restart it.
 */
public final class RouteProblem {

    private static final Pattern MISSING_PROPERTY = Pattern.compile("Property with key \\[([^\\]]+)\\] not found");
    private static final Pattern AT = Pattern.compile(" at: >>> (.*?) <<< in route:");
    private static final String COMPONENTS = "META-INF/services/org/apache/camel/component.properties";

    private RouteProblem() {
    }

    /** The route problem behind a failed start, one line, or null when the failure is not the routes'. */
    public static ConfigException of(CamelContext context, Throwable failure) {
        MarkedYamlEngineException yaml = cause(failure, MarkedYamlEngineException.class);
        if (yaml != null) {
            return yaml(context, yaml);
        }
        FailedToCreateRouteException route = cause(failure, FailedToCreateRouteException.class);
        if (route != null && context != null) {
            return route(context, route);
        }
        return null;
    }

    /** A file that does not parse, or a field the YAML DSL does not know: the parser's line, column and reason. */
    private static ConfigException yaml(CamelContext context, MarkedYamlEngineException e) {
        Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
        if (mark == null) {
            return new ConfigException("a route file does not parse: " + oneLine(e.getProblem()));
        }
        String location = mark.getName();
        RouteYaml where = RouteYaml.at(read(context, location), mark.getLine(), mark.getColumn());
        String at = file(location) + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": " + where.words();
        if (e instanceof UnsupportedFieldException) {
            String field = e.getProblem().substring(e.getProblem().indexOf(':') + 1).trim();
            Collection<String> fields = YamlDslFields.of(where.stepKey());
            return new ConfigException(at + "'" + field + "' is not a field of " + (where.stepKey() == null ? "this step" : where.stepKey())
                    + hint(fields.isEmpty() ? "" : "its fields: " + String.join(", ", fields), suggestion(field, fields)));
        }
        String reason = oneLine(e.getProblem()) + (e.getContext() == null ? "" : " (" + oneLine(e.getContext()) + ")");
        return new ConfigException(at + "the YAML does not parse: " + reason + "; check the indentation at and above this line:"
                + " the steps of a list start with '- ' in one column, and a step's keys sit under its name");
    }

    /** A route Camel could not create: the step the cause names, found in the route model. */
    private static ConfigException route(CamelContext context, FailedToCreateRouteException e) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition route = model.getRouteDefinition(e.getRouteId());
        String why;
        String hint;
        Predicate<String> names;
        MethodNotFoundException method = cause(e, MethodNotFoundException.class);
        NoSuchEndpointException endpoint = cause(e, NoSuchEndpointException.class);
        Matcher property = MISSING_PROPERTY.matcher(String.valueOf(messages(e)));
        if (method != null) {
            // a call names its arguments, "exportMonth(${body})": the method is the name before them
            String name = method.getMethodName().replaceFirst("\\s*\\(.*", "");
            Collection<String> callable = callable(method.getBean());
            why = "the bean has no method '" + name + "'";
            hint = hint("a route may call " + String.join(", ", callable), suggestion(name, callable));
            names = word(name);
        } else if (endpoint != null) {
            String scheme = endpoint.getUri().substring(0, Math.max(0, endpoint.getUri().indexOf(':')));
            Collection<String> components = components();
            why = "no Camel component '" + scheme + "' in this build";
            hint = hint("the components in this build: " + String.join(", ", components),
                    suggestion(scheme + ":", components.stream().map(c -> c + ":").toList()));
            names = word(scheme + ":");
        } else if (property.find()) {
            String key = property.group(1);
            Collection<String> keys = new TreeSet<>(context.getPropertiesComponent().loadPropertiesAsMap().keySet());
            keys.removeIf(k -> k.startsWith("camel."));
            why = "no property " + key;
            String parent = key.substring(0, Math.max(0, key.lastIndexOf('.') + 1));
            List<String> siblings = keys.stream().filter(k -> !parent.isEmpty() && k.startsWith(parent)).toList();
            hint = hint("the routes read the keys of config/application.properties and the values docs/routes.md lists",
                    siblings.isEmpty() ? "" : "those under " + parent + ": " + String.join(", ", siblings), suggestion(key, keys));
            names = text -> text.contains("{{" + key);
        } else {
            why = oneLine(rootMessage(e));
            hint = "; see docs/routes.md";
            Matcher at = AT.matcher(String.valueOf(e.getMessage()));
            String top = at.find() ? at.group(1) : null;
            names = text -> text.equals(top);
        }
        NamedNode step = route == null ? null : step(model, route, names);
        return new ConfigException(where(route, step, model) + why + hint);
    }

    /** "file:line: route r, step s: " of the step, or of the route's from when the step is not found. */
    static String where(RouteDefinition route, NamedNode step, Model model) {
        if (route == null) {
            return "";
        }
        NamedNode at = step != null ? step : route.getInput();
        String in = "route " + route.getRouteId();
        if (step != null && !Objects.equals(file(step.getLocation()), file(route.getInput().getLocation()))) {
            // a route configuration's step, copied into the route that uses it
            for (RouteConfigurationDefinition configuration : model.getRouteConfigurationDefinitions()) {
                for (ProcessorDefinition<?> own : ProcessorDefinitionHelper.filterTypeInOutputs(
                        new ArrayList<>(configuration.getOnExceptions()), ProcessorDefinition.class)) {
                    if (Objects.equals(own.getLocation(), step.getLocation()) && own.getLineNumber() == step.getLineNumber()) {
                        in = "route configuration " + configuration.getId() + " (used by route " + route.getRouteId() + ")";
                    }
                }
            }
        }
        String id = step instanceof OptionalIdentifiedDefinition<?> d && d.getId() != null ? ", step " + d.getId() : "";
        return file(at.getLocation()) + ":" + at.getLineNumber() + ": " + in + id + ": ";
    }

    /** The innermost step of the route (its from included) whose definition the test matches. */
    private static NamedNode step(Model model, RouteDefinition route, Predicate<String> names) {
        List<NamedNode> nodes = new ArrayList<>();
        FromDefinition from = route.getInput();
        if (from != null) {
            nodes.add(from);
        }
        nodes.addAll(ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), ProcessorDefinition.class));
        return nodes.stream().filter(node -> names.test(String.valueOf(node))).min(Comparator.comparingInt(node -> node.toString().length()))
                .orElse(null);
    }

    /** The public methods of a bean's own class (ours, not Object's): what a bean step can name. */
    private static Collection<String> callable(Object bean) {
        Collection<String> names = new TreeSet<>();
        for (Class<?> type = bean instanceof Class<?> c ? c : bean.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Method m : type.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !List.of("close", "toString", "equals", "hashCode").contains(m.getName())) {
                    names.add(m.getName());
                }
            }
        }
        return names;
    }

    /** The Camel components on the class path, as each component jar lists itself. */
    private static Collection<String> components() {
        Collection<String> names = new TreeSet<>();
        try {
            Enumeration<URL> lists = RouteProblem.class.getClassLoader().getResources(COMPONENTS);
            while (lists.hasMoreElements()) {
                Properties list = new Properties();
                try (InputStream in = lists.nextElement().openStream()) {
                    list.load(in);
                }
                names.addAll(List.of(list.getProperty("components", "").trim().split("\\s+")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        names.remove("");
        return names;
    }

    /** "; part; part" of the parts that say something. */
    private static String hint(String... parts) {
        StringBuilder hint = new StringBuilder();
        for (String part : parts) {
            if (!part.isEmpty()) {
                hint.append("; ").append(part);
            }
        }
        return hint.toString();
    }

    /** "did you mean x?" for the nearest of the names within two edits, or "". */
    static String suggestion(String typed, Collection<String> names) {
        String best = null;
        int bestDistance = 3;
        for (String name : names) {
            int d = distance(typed, name);
            if (d > 0 && d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return best == null ? "" : "did you mean " + best + "?";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static Predicate<String> word(String name) {
        Pattern pattern = Pattern.compile("(?<![\\w-])" + Pattern.quote(name) + (name.endsWith(":") ? "" : "(?![\\w-])"));
        return text -> pattern.matcher(text).find();
    }

    private static String read(CamelContext context, String location) {
        try {
            Resource resource = PluginHelper.getResourceLoader(context).resolveResource(location);
            try (InputStream in = resource.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (Exception e) {
            return "";
        }
    }

    /** A location as the engineer knows it: the path of their file, or the packaged routes/x.camel.yaml. */
    private static String file(String location) {
        if (location == null) {
            return null;
        }
        return location.replaceFirst("^(file|classpath):", "");
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The fields the YAML DSL's JSON schema (shipped in camel-yaml-dsl) gives a step, by the key it is written under. */
    static final class YamlDslFields {
        private static final JsonNode SCHEMA = load();

        private YamlDslFields() {
        }

        static Collection<String> of(String stepKey) {
            JsonNode items = SCHEMA.path("items");
            JsonNode ref = stepKey == null ? null : items.path("properties").path(stepKey).path("$ref");
            if (ref == null || ref.isMissingNode()) {
                ref = items.path("definitions").path("org.apache.camel.model.ProcessorDefinition").path("properties").path(String.valueOf(stepKey)).path("$ref");
            }
            if (ref.isMissingNode()) {
                return List.of();
            }
            JsonNode definition = items.path("definitions").path(ref.asText().substring(ref.asText().lastIndexOf('/') + 1));
            Collection<String> fields = new TreeSet<>();
            definition.path("properties").fieldNames().forEachRemaining(fields::add);
            definition.path("oneOf").forEach(one -> one.path("properties").fieldNames().forEachRemaining(fields::add));
            return fields;
        }

        private static JsonNode load() {
            try (InputStream in = YamlRoutesBuilderLoader.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
                return in == null ? new ObjectMapper().createObjectNode() : new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
