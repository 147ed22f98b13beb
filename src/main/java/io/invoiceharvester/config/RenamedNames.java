package io.invoiceharvester.config;

import io.invoiceharvester.model.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.HasExpressionType;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.model.language.MethodCallExpression;

/**
 * Route ids and bean methods the packaged routes no longer use, each with its new name (docs/routes.md, "Renamed
 * routes"). A route copy made before a rename would fail late or not at all: under old route ids it still runs,
 * its routes calling each other, while /observe/health waits for the new ids and dashboards watch routes that
 * never run; an old method name fails only when its route is created, with a list of names. It fails at start
 * instead, naming each old name, where it is, and the new one.
 */
public final class RenamedNames {

    /** Old route id → new; renamed in 2026-12, when "fetch" and "download" named each other's step. */
    static final Map<String, String> ROUTES = Map.of(
            "fetch-new-files", "pick-new-files",
            "akamai-download-file", "akamai-harvest-file",
            "akamai-fetch-file", "akamai-get-file",
            "fastly-download-file", "fastly-harvest-invoice",
            "fastly-fetch-invoice", "fastly-get-invoice");

    /** Old bean.method → new method; renamed in 2026-12: stored (archived and recorded) is not dropped (in the drop). */
    static final Map<String, String> METHODS = Map.of(
            "deliveryLog.isDelivered", "isStored",
            "deliveryLog.recordDelivered", "recordStored",
            "runProgress.delivered", "stored");

    private RenamedNames() {
    }

    /** @throws ConfigException one line for each place that names a route or a bean method by an old name */
    public static void check(CamelContext context) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<String> problems = new ArrayList<>();
        for (RouteDefinition route : model.getRouteDefinitions()) {
            if (ROUTES.containsKey(route.getRouteId())) {
                problems.add(renamed(model, route, route.getInput(), "route " + route.getRouteId(), ROUTES.get(route.getRouteId())));
            }
            List<NamedNode> steps = new ArrayList<>();
            ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), ProcessorDefinition.class).forEach(steps::add);
            // a choice's conditions are not among the outputs
            for (ChoiceDefinition choice : ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), ChoiceDefinition.class)) {
                choice.getWhenClauses().forEach(steps::add);
            }
            for (NamedNode step : steps) {
                String called = called(step);
                if (called != null && called.startsWith("direct:") && ROUTES.containsKey(called.substring(7))) {
                    problems.add(renamed(model, route, step, "route " + called.substring(7), ROUTES.get(called.substring(7))));
                } else if (called != null && METHODS.containsKey(called)) {
                    String bean = called.substring(0, called.indexOf('.') + 1);
                    problems.add(renamed(model, route, step, called, bean + METHODS.get(called)));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join(System.lineSeparator(), problems));
        }
    }

    /** What a step calls by name: a to's URI, or a bean step's or method expression's "bean.method"; else null. */
    private static String called(NamedNode step) {
        if (step instanceof ToDefinition to) {
            return to.getUri();
        }
        if (step instanceof BeanDefinition bean) {
            return beanMethod(bean.getRef(), bean.getMethod());
        }
        if (step instanceof HasExpressionType node && node.getExpressionType() instanceof MethodCallExpression method) {
            return beanMethod(method.getRef(), method.getMethod());
        }
        return null;
    }

    private static String beanMethod(String ref, String method) {
        return ref == null || method == null ? null : ref + "." + (method.contains("(") ? method.substring(0, method.indexOf('(')) : method).trim();
    }

    private static String renamed(Model model, RouteDefinition route, NamedNode at, String old, String now) {
        return RouteProblem.where(route, at, model) + old + " was renamed " + now + ": rename it wherever it is named"
                + " (docs/routes.md, \"Renamed routes\")";
    }
}
