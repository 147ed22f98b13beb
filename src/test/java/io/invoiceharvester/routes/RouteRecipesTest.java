package io.invoiceharvester.routes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.RunState;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/routes.md's recipes, as an engineer follows them: each is taken from the page as written, put into a copy of
 * the routes at the step the page names, and a harvest of the fixtures shows its effect. A renamed step or route
 * that the page does not follow fails here.
 */
class RouteRecipesTest extends HarvestTestSupport {

    private static final Pattern RECIPE = Pattern.compile(
            "<!-- recipe (\\S+): (\\S+\\.camel\\.yaml), (before|after) step (\\S+) -->\\s*```yaml\\n(.*?)```", Pattern.DOTALL);
    static final byte[] PDF = "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    record Recipe(String name, String file, boolean before, String step, String yaml) {
    }

    static Map<String, Recipe> recipes() throws IOException {
        Map<String, Recipe> recipes = new LinkedHashMap<>();
        Matcher m = RECIPE.matcher(Files.readString(Path.of("docs/routes.md")));
        while (m.find()) {
            recipes.put(m.group(1), new Recipe(m.group(1), m.group(2), m.group(3).equals("before"), m.group(4), m.group(5)));
        }
        return recipes;
    }

    /** The recipe's steps put before or after the named step, indented as that step. */
    static void apply(Recipe recipe, Path routes) throws IOException {
        Path file = routes.resolve(recipe.file());
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int id = lines.stream().map(String::trim).toList().indexOf("id: " + recipe.step());
        assertTrue(id > 0, recipe.file() + " has no step " + recipe.step() + " (docs/routes.md, recipe " + recipe.name() + ")");
        int start = id - 1;
        int indent = lines.get(start).indexOf('-');
        assertTrue(indent >= 0 && lines.get(start).trim().startsWith("- "), "the step " + recipe.step() + " begins a list item");
        int at = start;
        if (!recipe.before()) {
            at = start + 1;
            while (at < lines.size() && (lines.get(at).isBlank() || lines.get(at).indexOf(lines.get(at).trim()) > indent)) {
                at++;
            }
        }
        List<String> steps = recipe.yaml().lines().map(l -> " ".repeat(indent) + l).toList();
        lines.addAll(at, steps);
        Files.write(file, lines);
    }

    Map<String, Recipe> recipes;
    Path routes;

    @BeforeEach
    void aCopyOfTheRoutes() throws Exception {
        recipes = recipes();
        routes = h.routesCopy();
        h.set("harvester.routes.dir", routes.toString());
        h.stubAkamaiFixtures("2021-01", PDF);
    }

    @Test
    void thePageHasItsRecipes() {
        assertEquals(List.of("copy-every-csv", "leave-out-credit-memos", "log-each-stored-file", "leave-out-zero-cost-lines"),
                List.copyOf(recipes.keySet()));
    }

    @Test
    void copyEveryCsv() throws Exception {
        apply(recipes.get("copy-every-csv"), routes);

        RunState run = h.run("2021-01");

        assertEquals(0, run.exitCode(), run.getFailures().toString());
        List<Path> copies = h.filesUnder(h.out().resolve("csv-copies"));
        assertEquals(2, copies.size(), copies.toString());
        for (Path copy : copies) {
            assertTrue(copy.getFileName().toString().endsWith(".csv"), copy.toString());
            Path archived = h.filesUnder(h.out().resolve("archive")).stream()
                    .filter(p -> p.getFileName().toString().equals(copy.getFileName().toString().replaceFirst("^[^_]+_v[^_]+_", "")))
                    .filter(p -> p.toString().contains(copy.getFileName().toString().substring(0, copy.getFileName().toString().indexOf('_'))))
                    .findFirst().orElseThrow();
            assertArrayEquals(Files.readAllBytes(archived), Files.readAllBytes(copy), "byte for byte: " + copy);
        }
        assertEquals(2, h.filesUnder(h.drop()).size(), "the PDFs still go to the drop");
        assertEquals(4, h.count("SELECT COUNT(*) FROM harvested_file"), "every file still stored");
    }

    @Test
    void leaveOutCreditMemos() throws Exception {
        apply(recipes.get("leave-out-credit-memos"), routes);

        RunState run = h.run("2021-01");

        assertEquals(0, run.exitCode(), run.getFailures().toString());
        assertEquals(2, run.getFilesLeftOut(), "the credit memo's PDF and CSV");
        assertTrue(run.summaryLine().contains("4 files listed, 2 new") && run.summaryLine().contains("2 left out by the routes, 0 failed"),
                run.summaryLine());
        assertEquals(1, h.filesUnder(h.drop()).size(), "the invoice's PDF only");
        assertFalse(h.filesUnder(h.out().resolve("archive")).stream().anyMatch(p -> p.toString().contains("8234567890")));
        assertTrue(h.outbox().get(0).contains("2 left out by the routes"), "the summary says so too");
    }

    @Test
    void logEachStoredFile() throws Exception {
        apply(recipes.get("log-each-stored-file"), routes);
        StringWriter log = new StringWriter();
        RunState run = runLogged(log);

        assertEquals(0, run.exitCode());
        assertEquals(4, log.toString().lines().filter(l -> l.contains("stored akamai ")).count(), log.toString());
        assertTrue(log.toString().contains("stored akamai CREDIT_MEMO 8234567890 text/csv, "), log.toString());
    }

    /** A row filter and a tap per row, inside ledger-csv's batch split: the zero-cost row stays out, the others are tapped. */
    @Test
    void leaveOutZeroCostLines() throws Exception {
        apply(recipes.get("leave-out-zero-cost-lines"), routes);
        String fixture = new String(TestHarvest.resource("/fixtures/akamai/invoice-download.csv"), StandardCharsets.UTF_8);
        String row = fixture.lines().toList().get(1);
        String zero = row.replace("Advanced Cache Control", "Unused Cache Control").replace(",0.01,,0.02,0,,0.03,", ",0,,0,0,,0,");
        h.stubFixtureCsvs(fixture.strip() + "\n" + zero + "\n");
        StringWriter log = new StringWriter();

        RunState run = runLogged(log);

        assertEquals(0, run.exitCode(), run.getFailures().toString());
        assertEquals(0, h.count("SELECT COUNT(*) FROM ledger_line WHERE charge_description LIKE 'Unused%'"), "left out");
        long kept = h.count("SELECT COUNT(*) FROM ledger_line");
        assertTrue(kept > 0, "the other lines are in");
        assertEquals(kept, log.toString().lines().filter(l -> l.contains("LedgerLine[")).count(), log.toString());
    }

    private RunState runLogged(StringWriter log) throws Exception {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        WriterAppender appender = WriterAppender.newBuilder().setName("recipe-log").setTarget(log).setConfiguration(config).build();
        appender.start();
        config.getRootLogger().addAppender(appender, Level.INFO, null);
        ctx.updateLoggers();
        try {
            return h.run("2021-01");
        } finally {
            config.getRootLogger().removeAppender("recipe-log");
            ctx.updateLoggers();
        }
    }
}
