package io.invoiceharvester.cli;

import static io.invoiceharvester.TestHarvest.edit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.HarvestTestSupport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An integration engineer's typical mistakes in a route copy, read as docs/routes.md describes them: exit 2 (a
 * configuration error, which the service manager does not restart on) with one line naming the file and line, the
 * route and step, the cause, and what to do; found by `check --routes` with the real beans, before any API call.
 */
class RouteMistakesTest extends HarvestTestSupport {

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    Path routes;

    @BeforeEach
    void copyTheRoutes() throws Exception {
        routes = h.routesCopy();
    }

    private int run(String... args) {
        return HarvesterCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** `check --routes` fails with exit 2 and one line; nothing was asked of the API. */
    private String checkFails() throws Exception {
        assertEquals(2, run("check", "--config", h.configFile().toString(), "--routes", routes.toString()), out + "\n" + err);
        List<String> lines = err.toString().lines().toList();
        assertEquals(1, lines.size(), err.toString());
        assertFalse(out.toString().contains("configuration: ok"), "not ok before the routes were created: " + out);
        assertEquals(0, h.requests().size(), "nothing was asked of the API");
        return lines.get(0);
    }

    /** "routes-copy/file:N" with N the line of the step whose id line is given (its key sits on the line above). */
    private String stepLine(String file, String idLine) throws Exception {
        List<String> lines = Files.readAllLines(routes.resolve(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().equals(idLine)) {
                return routes.resolve(file) + ":" + i + ":";
            }
        }
        throw new AssertionError(idLine + " not in " + file);
    }

    @Test
    void aBeanMethodTypoNamesTheMethodsARouteMayCall() throws Exception {
        edit(routes.resolve("akamai-download.camel.yaml"), "method: \"validate(${body})\"\n", "method: \"validat(${body})\"\n");

        String line = checkFails();
        assertTrue(line.startsWith("configuration error: " + stepLine("akamai-download.camel.yaml", "id: validate-file")), line);
        assertTrue(line.contains("route akamai-harvest-file, step validate-file: the bean has no method 'validat'"), line);
        assertTrue(line.contains("a route may call validate") && line.endsWith("did you mean validate?"), line);
        assertFalse(line.contains("@"), "no object identity: " + line);
    }

    @Test
    void anUnknownSchemeLooksLikeATypoOfDirect() throws Exception {
        edit(routes.resolve("akamai-download.camel.yaml"), "uri: direct:store-file", "uri: drect:store-file");

        String line = checkFails();
        assertTrue(line.startsWith("configuration error: " + stepLine("akamai-download.camel.yaml", "id: store-valid-file")), line);
        assertTrue(line.contains("route akamai-harvest-file, step store-valid-file: no Camel component 'drect'"), line);
        assertTrue(line.endsWith("did you mean direct:?"), line);
        assertFalse(line.contains("classpath"), line);
    }

    @Test
    void badIndentationGivesLineColumnAndTheParsersReason() throws Exception {
        Path drop = edit(routes.resolve("drop.camel.yaml"), "        - setVariable:", "      - setVariable:");
        int broken = Files.readAllLines(drop).indexOf("      - setVariable:") + 1;

        String line = checkFails();
        assertTrue(line.startsWith("configuration error: " + drop + ":" + broken + ":7: route drop-pdf, near step drop-name:"), line);
        assertTrue(line.contains("the YAML does not parse: expected <block end>, but found '-'"), line);
        assertTrue(line.contains("check the indentation"), line);
    }

    @Test
    void anUnknownPlaceholderNamesFileLineAndTheKeysBesideIt() throws Exception {
        edit(routes.resolve("drop.camel.yaml"), "{{harvester.drop.endpoint}}", "{{harvester.drop.folder}}");

        String line = checkFails();
        assertTrue(line.startsWith("configuration error: " + stepLine("drop.camel.yaml", "id: write-to-drop")), line);
        assertTrue(line.contains("route drop-pdf, step write-to-drop: no property harvester.drop.folder"), line);
        assertTrue(line.contains("those under harvester.drop.: harvester.drop.content-type, harvester.drop.endpoint"), line);
    }

    @Test
    void aMisspelledFieldNamesItsFieldsAndExitsTwo() throws Exception {
        Path file = edit(routes.resolve("akamai-download.camel.yaml"), "            uri: direct:store-file", "            url: direct:store-file");
        int broken = Files.readAllLines(file).indexOf("            url: direct:store-file") + 1;

        String line = checkFails();
        assertTrue(line.startsWith("configuration error: " + file + ":" + broken + ":18: route akamai-harvest-file, step store-valid-file:"
                + " 'url' is not a field of to; its fields: "), line);
        assertTrue(line.endsWith("did you mean uri?"), line);
    }

    @Test
    void aRouteConfigurationsStepIsNamedAsSuch() throws Exception {
        edit(routes.resolve("error-handling.camel.yaml"), "ref: quarantine\n                method: \"store(", "ref: quarantine\n                method: \"stor(");

        String line = checkFails();
        assertTrue(line.startsWith("configuration error: " + stepLine("error-handling.camel.yaml", "id: quarantine-file")), line);
        assertTrue(line.contains("route configuration harvester-error-handling (used by route "), line);
        assertTrue(line.contains("step quarantine-file: the bean has no method 'stor'") && line.endsWith("did you mean store?"), line);
    }

    /** The service and a harvest stop the same way: a service manager does not restart a typo every 30 s. */
    @Test
    void theServiceAndOnceExitTwoOnABrokenCopy() throws Exception {
        edit(routes.resolve("akamai-download.camel.yaml"), "uri: direct:store-file", "uri: drect:store-file");
        h.set("harvester.management.port", "0").set("harvester.schedule.cron", "0 0 0 1 1 ? 2099");

        assertEquals(2, run("run", "--config", h.configFile().toString(), "--routes", routes.toString(), "--exit-when-started"), err.toString());
        assertEquals(2, run("once", "--config", h.configFile().toString(), "--routes", routes.toString(), "--month", "2021-01"), err.toString());
        assertEquals(2, err.toString().lines().filter(l -> l.contains("no Camel component 'drect'")).count(), err.toString());
        assertEquals(0, h.requests().size());
    }

    @Test
    void anIntactCopyIsSaidToBeOk() throws Exception {
        h.api.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/invoicing-api/v4/invoices"))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(204)));
        assertEquals(0, run("check", "--config", h.configFile().toString(), "--routes", routes.toString()), out + "\n" + err);
        assertTrue(out.toString().startsWith("configuration: ok; routes: ok ("), out.toString());
        assertTrue(out.toString().contains(" routes from " + routes + "); state database: ok"), out.toString());
    }
}
