package io.invoiceharvester.routes;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.state.FailureReport;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.dsl.yaml.YamlRoutesBuilderLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route file is plain Camel YAML DSL: it passes the JSON schema shipped in camel-yaml-dsl,
 * which Camel's own tooling (JBang, Kaoto, Karavan) checks against and which is stricter than the runtime.
 */
class RouteSchemaTest {

    static JsonSchema schema;

    @BeforeAll
    static void loadSchema() throws Exception {
        try (InputStream in = YamlRoutesBuilderLoader.class.getResourceAsStream("/schema/camelYamlDsl.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
    }

    static Stream<Path> routeFiles() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void routeFilePassesTheYamlDslSchema(Path file) throws Exception {
        assertTrue(file.getFileName().toString().endsWith(".camel.yaml"), file + " is named *.camel.yaml");
        JsonNode routes = new YAMLMapper().readTree(file.toFile());
        Set<ValidationMessage> problems = schema.validate(routes);
        assertTrue(problems.isEmpty(), file + ": " + problems);
    }

    /** Hawtio's diagrams and per-processor statistics name a step by its id: none is left to Camel's bean103. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void everyStepHasAnId(Path file) throws Exception {
        List<String> missing = new java.util.ArrayList<>();
        stepsWithoutId(new YAMLMapper().readTree(file.toFile()), "", missing);
        assertTrue(missing.isEmpty(), file + ": steps without an id: " + missing);
    }

    private static void stepsWithoutId(JsonNode node, String path, List<String> missing) {
        if (node.isArray()) {
            node.forEach(n -> stepsWithoutId(n, path, missing));
        } else if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("steps") && field.getValue().isArray()) {
                    for (JsonNode step : field.getValue()) {
                        var eip = step.fields().next();
                        if (!eip.getValue().has("id")) {
                            missing.add(path + "/" + eip.getKey());
                        }
                        stepsWithoutId(eip.getValue(), path + "/" + eip.getKey(), missing);
                    }
                } else {
                    stepsWithoutId(field.getValue(), path + "/" + field.getKey(), missing);
                }
            });
        }
    }

    /** A `ref:` or `#name` in a route leads to one place: the @BindToRegistry method of that name in io.invoiceharvester.beans. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void everyBeanItNamesHasItsFactoryInTheBeansPackage(Path file) throws Exception {
        Set<String> factories = new java.util.HashSet<>();
        for (org.apache.camel.CamelConfiguration area : io.invoiceharvester.beans.CommandBeans.all(null, null, true)) {
            for (java.lang.reflect.Method m : area.getClass().getDeclaredMethods()) {
                if (m.isAnnotationPresent(org.apache.camel.BindToRegistry.class)) {
                    factories.add(m.getName());
                }
            }
        }
        Set<String> named = new java.util.TreeSet<>();
        beanNames(new YAMLMapper().readTree(file.toFile()), named);
        named.removeAll(factories);
        assertTrue(named.isEmpty(), file + ": beans without a factory in io.invoiceharvester.beans: " + named);
    }

    private static void beanNames(JsonNode node, Set<String> named) {
        if (node.isTextual() && node.asText().matches("#[a-zA-Z]\\w*")) {
            named.add(node.asText().substring(1));
        }
        node.fields().forEachRemaining(field -> {
            if (field.getKey().equals("ref") && field.getValue().isTextual()) {
                named.add(field.getValue().asText());
            } else {
                beanNames(field.getValue(), named);
            }
        });
        if (node.isArray()) {
            node.forEach(n -> beanNames(n, named));
        }
    }

    /** What an engineer runs after editing a route file: its own test, named after it (store.camel.yaml: StoreRouteTest). */
    /**
     * failure-steps.properties holds only words for finance that differ from a route's description: each names a
     * route of the packaged files, with words of its own (a copy of the description is a second place to edit).
     */
    @Test
    void failureStepWordsNameRoutesAndDifferFromTheirDescriptions() throws Exception {
        Map<String, String> descriptions = new HashMap<>();
        for (Path file : routeFiles().toList()) {
            for (JsonNode entry : new YAMLMapper().readTree(file.toFile())) {
                JsonNode route = entry.path("route");
                if (route.has("id")) {
                    descriptions.put(route.path("id").asText(), route.path("description").asText(null));
                }
            }
        }
        for (String id : FailureReport.STEPS.stringPropertyNames()) {
            assertTrue(descriptions.containsKey(id), "failure-steps.properties names no route: " + id);
            assertNotEquals(descriptions.get(id), FailureReport.STEPS.getProperty(id), id + ": the same words as its description");
        }
    }

    /** The YAML's exchange properties are the ones ExchangeProperties names (docs/routes.md's table says who sets each). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void everyExchangePropertyItUsesIsNamedInExchangeProperties(Path file) throws Exception {
        Set<String> named = new java.util.HashSet<>();
        // ours, and Camel's own (Exchange.FAILURE_ROUTE_ID...), which Camel names
        for (Class<?> names : List.of(ExchangeProperties.class, Exchange.class)) {
            for (java.lang.reflect.Field f : names.getFields()) {
                if (f.getType() == String.class) {
                    named.add((String) f.get(null));
                }
            }
        }
        Set<String> used = new java.util.TreeSet<>();
        exchangeProperties(new YAMLMapper().readTree(file.toFile()), used);
        used.removeAll(named);
        assertTrue(used.isEmpty(), file + ": exchange properties ExchangeProperties does not name: " + used);
    }

    private static void exchangeProperties(JsonNode node, Set<String> used) {
        if (node.isTextual()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("exchangeProperty\\.(\\w+)").matcher(node.asText());
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        node.fields().forEachRemaining(field -> {
            if (field.getKey().equals("setProperty") && field.getValue().path("name").isTextual()) {
                used.add(field.getValue().path("name").asText());
            }
            exchangeProperties(field.getValue(), used);
        });
        if (node.isArray()) {
            node.forEach(n -> exchangeProperties(n, used));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("routeFiles")
    void everyRouteFileHasItsOwnRouteTest(Path file) {
        String base = file.getFileName().toString().replace(".camel.yaml", "");
        StringBuilder name = new StringBuilder();
        for (String part : base.split("-")) {
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        String test = "io.invoiceharvester.routes." + name + "RouteTest";
        try {
            Class.forName(test);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(file + " has no route test " + test, e);
        }
    }
}
