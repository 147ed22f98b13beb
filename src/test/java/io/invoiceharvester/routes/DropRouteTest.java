package io.invoiceharvester.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.DeliveryLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/** routes/drop.camel.yaml: a stored PDF lands in the drop under its drop name; a pending one is dropped from the archive. */
class DropRouteTest extends RouteFileTest {

    @Override
    protected List<String> routeFiles() {
        return List.of("drop.camel.yaml");
    }

    @Test
    void aStoredPdfLandsInTheDropAndIsMarkedDropped() throws Exception {
        DeliveryLog log = bean("deliveryLog", DeliveryLog.class);
        RunState run = run("2025-01");
        ListedFile pdf = stored(RouteFileTest.akamaiFile("2025-01", "9001", "application/pdf", "invoice.pdf"), "%PDF-1.7 one");
        log.recordStored(pdf, run);
        assertEquals(1, log.pendingDrops("application/pdf").size());

        Exchange done = sendItem("direct:drop-pdf", run, pdf);

        assertNull(done.getException());
        assertEquals(pdf, done.getMessage().getBody(), "the route leaves the body as it found it");
        assertEquals("%PDF-1.7 one", Files.readString(harvest().drop().resolve(pdf.getDropName())));
        assertEquals(List.of(), log.pendingDrops("application/pdf"));
        try (var files = Files.walk(harvest().drop())) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".inprogress-")), "no temporary name left");
        }
    }

    @Test
    void aPendingPdfIsDroppedFromTheArchive() throws Exception {
        DeliveryLog log = bean("deliveryLog", DeliveryLog.class);
        RunState run = run("2025-01");
        ListedFile pdf = stored(RouteFileTest.akamaiFile("2025-01", "9002", "application/pdf", "late.pdf"), "%PDF-1.7 late");
        log.recordStored(pdf, run);
        ListedFile csv = stored(RouteFileTest.akamaiFile("2025-01", "9002", "text/csv", "late.csv"), "a,b\n");
        log.recordStored(csv, run);

        Exchange done = template.send("direct:drop-pending", e -> e.setProperty(ExchangeProperties.RUN, run));

        assertNull(done.getException());
        assertEquals("%PDF-1.7 late", Files.readString(harvest().drop().resolve(pdf.getDropName())));
        assertTrue(Files.notExists(harvest().drop().resolve(csv.getDropName())), "a CSV is not dropped");
        assertEquals(List.of(), log.pendingDrops("application/pdf"));
    }

    private ListedFile stored(ListedFile file, String content) throws Exception {
        Path archived = Files.createDirectories(harvest().out().resolve("archive").resolve(file.getRelativeFolder()))
                .resolve(file.getSafeFileName());
        Files.writeString(archived, content);
        file.setDownloaded(null, content.length(), "0".repeat(64));
        file.setStored(archived);
        return file;
    }
}
