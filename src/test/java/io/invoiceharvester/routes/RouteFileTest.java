package io.invoiceharvester.routes;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.beans.CommandBeans;
import io.invoiceharvester.config.CamelProperties;
import io.invoiceharvester.config.HarvesterConfig;
import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.Invoice;
import io.invoiceharvester.model.InvoiceFile;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.model.RunRequest;
import io.invoiceharvester.state.StateDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;

/**
 * A test of route files on their own: the harvester's real beans (io.invoiceharvester.beans) on an H2
 * state database in a temporary folder, the product's properties, and the routes the files call
 * outside themselves replaced by mock endpoints ("mock:direct:..."), so a YAML edit is checked in seconds.
 */
abstract class RouteFileTest extends CamelMainTestSupport {

    private TestHarvest harvest;
    private StateDatabase state;

    /** The files under test, in routes/ (error-handling.camel.yaml, which they all use, is added). */
    protected abstract List<String> routeFiles();

    /** The endpoints the files call outside themselves: mocked, and not called (a pattern, e.g. "direct:drop-*"). */
    protected String mockedAndSkipped() {
        return null;
    }

    /** True to configure Camel as the `run` service does (its schedule starts). */
    protected boolean service() {
        return false;
    }

    /** This test's settings, on top of a harvester pointed at a WireMock stand-in (TestHarvest). */
    protected void settings(TestHarvest harvest) {
    }

    /** The run, the output folder, the state database: as the product has them. */
    protected TestHarvest harvest() {
        if (harvest == null) {
            try {
                // created here, not by @TempDir: Camel Test configures the context in the constructor
                harvest = new TestHarvest(Files.createTempDirectory("route-test"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            settings(harvest);
        }
        return harvest;
    }

    @Override
    public void configureContext(CamelContextConfiguration context) {
        super.configureContext(context);
        HarvesterConfig cfg = harvest().config();
        Properties props = CamelProperties.of(cfg, HarvesterSettings.validate(cfg, Map.of()), service());
        StringBuilder files = new StringBuilder("file:routes/error-handling.camel.yaml");
        routeFiles().forEach(f -> files.append(",file:routes/").append(f));
        props.setProperty("camel.main.routes-include-pattern", files.toString());
        context.withUseOverridePropertiesWithPropertiesComponent(props);
        if (mockedAndSkipped() != null) {
            context.withMockEndpointsAndSkip(mockedAndSkipped());
        }
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        HarvesterConfig cfg = harvest().config();
        state = StateDatabase.open(cfg.get("harvester.state.url"), cfg.get("harvester.state.username"), cfg.get("harvester.state.password"));
        CommandBeans.all(HarvesterSettings.validate(cfg, Map.of()), state, service()).forEach(configuration::addConfiguration);
    }

    @Override
    protected void doPostTearDown() throws Exception {
        if (state != null) {
            state.close();
        }
        if (harvest != null) {
            harvest.close();
            try (Stream<Path> files = Files.walk(harvest.dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        super.doPostTearDown();
    }

    /** A bean the routes call, to arrange or inspect what the route under test finds or leaves. */
    protected <T> T bean(String name, Class<T> type) {
        return context.getRegistry().lookupByNameAndType(name, type);
    }

    /** A run of this month, as the harvest route begins it. */
    protected static RunState run(String month) {
        return new RunState("route-test", new RunRequest("test", List.of(YearMonth.parse(month)), List.of("akamai")));
    }

    /** Sends the body as one item of the run, with the exchange properties the harvest sets. */
    protected Exchange sendItem(String uri, RunState run, ListedFile item) {
        return template.send(uri, e -> {
            e.setProperty(ExchangeProperties.RUN, run);
            e.setProperty(ExchangeProperties.ITEM, item);
            e.getIn().setBody(item);
        });
    }

    /** A listed Akamai file of the fixture's invoice. */
    protected static ListedFile akamaiFile(String month, String invoiceId, String contentType, String fileName) {
        return new ListedFile(new Listing("akamai", month, null), month,
                new Invoice("A-CCT7890", "C-0N7RAC7", invoiceId, "INVOICE", new BigDecimal("100.00"), "USD"),
                new InvoiceFile(fileName, fileName, "1", "REGULAR", contentType,
                        "/invoicing-api/v4/contracts/C-0N7RAC7/invoices/" + invoiceId + "/download"));
    }
}
