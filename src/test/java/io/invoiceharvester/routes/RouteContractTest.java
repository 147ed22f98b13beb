package io.invoiceharvester.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.invoiceharvester.model.ListedFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/routes.md is the route contract: it names every route of routes/ (and no other), and every getter of a file it
 * lists exists. A route renamed, added or removed without the page following fails here.
 */
class RouteContractTest {

    static final Path PAGE = Path.of("docs/routes.md");

    /** The route ids routes/ defines, templated routes too. */
    static Set<String> routeIds() throws Exception {
        Set<String> ids = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                for (JsonNode item : new YAMLMapper().readTree(file.toFile())) {
                    String id = item.path("route").path("id").asText(item.path("templatedRoute").path("routeId").asText(""));
                    if (!id.isEmpty()) {
                        ids.add(id);
                    }
                }
            }
        }
        return ids;
    }

    @Test
    void everyRouteHasItsSectionAndEverySectionItsRoute() throws Exception {
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^### `([a-z0-9-]+)`$").matcher(Files.readString(PAGE));
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertEquals(routeIds(), documented, "docs/routes.md, \"What each route receives and may change\"");
    }

    @Test
    void everyGetterOfAFileThePageListsExists() throws Exception {
        String page = Files.readString(PAGE);
        String table = page.substring(page.indexOf("A file (`ListedFile`)"), page.indexOf("A listing (`Listing`)"));
        List<String> names = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^\\| ((?:`[a-zA-Z0-9]+`(?:, )?)+) \\|").matcher(table);
        while (row.find()) {
            Matcher name = Pattern.compile("`([a-zA-Z0-9]+)`").matcher(row.group(1));
            while (name.find()) {
                names.add(name.group(1));
            }
        }
        assertTrue(names.size() >= 20, "the table's getters: " + names);
        for (String name : names) {
            String suffix = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            boolean exists = Stream.of(ListedFile.class.getMethods())
                    .anyMatch(method -> method.getParameterCount() == 0 && (method.getName().equals("get" + suffix) || method.getName().equals("is" + suffix)));
            assertTrue(exists, "ListedFile has no getter for `" + name + "` (docs/routes.md)");
        }
    }
}
