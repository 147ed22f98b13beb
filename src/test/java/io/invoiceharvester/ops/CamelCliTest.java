package io.invoiceharvester.ops;

import static io.invoiceharvester.TestHarvest.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.cli.Harvester;
import io.invoiceharvester.model.RunRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * harvester.management.camel-cli: Camel JBang's `camel ps`, `camel get route` and `camel top` read the status file the
 * connector writes under ~/.camel (user.home points at a folder of the test's); off by default, when nothing is written.
 */
class CamelCliTest extends HarvestTestSupport {

    private String userHome;
    private Path home;

    @BeforeEach
    void homeOfItsOwn() throws Exception {
        userHome = System.getProperty("user.home");
        home = Files.createDirectories(dir.resolve("home"));
        System.setProperty("user.home", home.toString());
        h.set("harvester.management.port", "0").set("harvester.schedule.cron", "0 0 0 1 1 ? 2099");
        h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @AfterEach
    void homeBack() {
        System.setProperty("user.home", userHome);
    }

    private Path statusFile() {
        return home.resolve(".camel").resolve(ProcessHandle.current().pid() + "-status.json");
    }

    @Test
    void withTheSettingTheConnectorListsTheRoutesAndTheirCounters() throws Exception {
        h.set("harvester.management.camel-cli", "true");
        try (Harvester service = Harvester.prepare(h.config(), Map.of(), true)) {
            service.start();
            service.harvest(new RunRequest("test", List.of(YearMonth.of(2021, 1)), List.of("akamai")));
            JsonNode[] status = new JsonNode[1];
            until("the connector's status file with harvest-run's exchanges", Duration.ofSeconds(20), () -> {
                if (!Files.exists(statusFile())) {
                    return false;
                }
                try {
                    status[0] = new ObjectMapper().readTree(statusFile().toFile());
                } catch (java.io.IOException halfWritten) {
                    return false;
                }
                for (JsonNode route : status[0].path("routes")) {
                    if (route.path("routeId").asText().equals("harvest-run")) {
                        return route.path("statistics").path("exchangesTotal").asInt() == 1;
                    }
                }
                return false;
            });
            assertEquals("invoice-harvester", status[0].path("context").path("name").asText(), status[0].toString());
            assertTrue(status[0].path("routes").size() >= 30, "every route: " + status[0].path("routes").size());
        }
    }

    @Test
    void offByDefaultNothingIsWritten() throws Exception {
        try (Harvester service = Harvester.prepare(h.config(), Map.of(), true)) {
            service.start();
            service.harvest(new RunRequest("test", List.of(YearMonth.of(2021, 1)), List.of("akamai")));
            Thread.sleep(2500); // the connector writes its status every second
            assertFalse(Files.exists(home.resolve(".camel")), "no connector, no ~/.camel");
        }
    }
}
