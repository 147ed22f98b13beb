package io.invoiceharvester.config;

import io.invoiceharvester.model.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;

/**
 * Route ids the packaged routes no longer use, each with its new name (docs/routes.md, "Renamed routes"). A route
 * copy made before a rename would still run, its routes calling each other by the old names, while
 * /observe/health waited for the new ids and dashboards watched routes that never run: it fails at start instead,
 * naming each old id, where it is, and what to rename it to.
 */
public final class RenamedRoutes {

    /** Old id → new id; renamed in 2026-12, when "fetch" and "download" meant each other's step. */
    static final Map<String, String> RENAMED = Map.of(
            "fetch-new-files", "pick-new-files",
            "akamai-download-file", "akamai-harvest-file",
            "akamai-fetch-file", "akamai-get-file",
            "fastly-download-file", "fastly-harvest-invoice",
            "fastly-fetch-invoice", "fastly-get-invoice");

    private RenamedRoutes() {
    }

    /** @throws ConfigException one line for each route and each direct: call under an old id */
    public static void check(CamelContext context) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        List<String> problems = new ArrayList<>();
        for (RouteDefinition route : model.getRouteDefinitions()) {
            note(problems, model, route, route.getInput(), route.getRouteId());
            for (ToDefinition to : ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), ToDefinition.class)) {
                String uri = to.getUri();
                String called = uri != null && uri.startsWith("direct:") ? uri.substring("direct:".length()) : null;
                note(problems, model, route, to, called);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join(System.lineSeparator(), problems));
        }
    }

    /** A problem when id is an old one. */
    private static void note(List<String> problems, Model model, RouteDefinition route, NamedNode at, String oldId) {
        if (oldId != null && RENAMED.containsKey(oldId)) {
            problems.add(RouteProblem.where(route, at, model) + "route " + oldId + " was renamed " + RENAMED.get(oldId)
                    + ": rename it, and direct:" + oldId + " wherever it is called (docs/routes.md, \"Renamed routes\")");
        }
    }
}
