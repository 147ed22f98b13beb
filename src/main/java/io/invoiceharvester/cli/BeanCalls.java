package io.invoiceharvester.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.invoiceharvester.model.ConfigException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * Checks the routes' bean steps against the packaged routes before any route starts: a method the packaged
 * routes call with arguments named (the database and ledger beans take plain arguments,
 * "exportMonth(${body})") must not be called by name alone. Camel would bind the
 * body to its first parameter and fail on the next message, or inside the error handler. An edited route copy
 * (--routes DIR) made before the arguments moved into the routes fails at start instead, naming the call.
 */
public final class BeanCalls {

    private static final String PACKAGED = "classpath:routes/*.camel.yaml";
    private static final YAMLMapper YAML = new YAMLMapper();

    private BeanCalls() {
    }

    /** @throws ConfigException naming every step that calls such a method by name alone */
    public static void check(CamelContext context) throws Exception {
        Map<String, String> withArguments = packagedCalls(context);
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<ProcessorDefinition<?>> steps = new ArrayList<>();
        for (RouteDefinition route : model.getRouteDefinitions()) {
            steps.addAll(route.getOutputs());
        }
        for (RouteConfigurationDefinition configuration : model.getRouteConfigurationDefinitions()) {
            steps.addAll(configuration.getOnExceptions());
        }
        // a route configuration's steps are also copied into each route that uses it: each named once
        Set<String> problems = new LinkedHashSet<>();
        for (BeanDefinition step : ProcessorDefinitionHelper.filterTypeInOutputs(steps, BeanDefinition.class)) {
            String packaged = withArguments.get(step.getRef() + "." + step.getMethod());
            if (packaged != null) {
                problems.add("route step " + (step.getId() == null ? "" : "'" + step.getId() + "' ") + "calls " + step.getRef() + "."
                        + step.getMethod() + " by name alone: its arguments are named in the route now, write"
                        + " method: \"" + packaged + "\" as the packaged routes do");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join(System.lineSeparator(), problems));
        }
    }

    /** bean.method → the call with its arguments, as the packaged route files write it. */
    private static Map<String, String> packagedCalls(CamelContext context) throws Exception {
        Map<String, String> calls = new HashMap<>();
        for (Resource file : PluginHelper.getPackageScanResourceResolver(context).findResources(PACKAGED)) {
            try (InputStream in = file.getInputStream()) {
                collect(YAML.readTree(in), calls);
            }
        }
        return calls;
    }

    private static void collect(JsonNode node, Map<String, String> calls) {
        JsonNode bean = node.path("bean");
        String method = bean.path("method").asText("");
        if (bean.path("ref").isTextual() && method.contains("(")) {
            calls.put(bean.path("ref").asText() + "." + method.substring(0, method.indexOf('(')).trim(), method);
        }
        node.forEach(child -> collect(child, calls));
    }
}
