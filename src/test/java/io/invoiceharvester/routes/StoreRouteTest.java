package io.invoiceharvester.routes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.DeliveryLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

/** routes/store.camel.yaml: a file is archived, its data ingested (ledger-file), recorded; only a PDF goes on to the drop. */
class StoreRouteTest extends RouteFileTest {

    @Override
    protected List<String> routeFiles() {
        return List.of("store.camel.yaml");
    }

    @Override
    protected String mockedAndSkipped() {
        return "direct:(ledger-file|drop-pdf)";
    }

    @Test
    void aPdfIsArchivedRecordedAndSentToTheDrop() throws Exception {
        MockEndpoint drop = getMockEndpoint("mock:direct:drop-pdf");
        MockEndpoint ledger = getMockEndpoint("mock:direct:ledger-file");
        drop.expectedMessageCount(1);
        ledger.expectedMessageCount(1);
        ListedFile pdf = downloaded(RouteFileTest.akamaiFile("2025-01", "9001", "application/pdf", "invoice.pdf"), "%PDF-1.7 test");
        RunState run = run("2025-01");

        Exchange done = sendItem("direct:store-file", run, pdf);

        assertNull(done.getException());
        MockEndpoint.assertIsSatisfied(drop, ledger);
        Path archived = harvest().out().resolve("archive").resolve(pdf.getRelativeFolder()).resolve("invoice.pdf");
        assertArrayEquals("%PDF-1.7 test".getBytes(), Files.readAllBytes(archived));
        assertTrue(bean("deliveryLog", DeliveryLog.class).isStored(pdf));
        assertEquals(1, run.getFilesStored());
    }

    @Test
    void aCsvGoesToTheLedgerAndNotToTheDrop() throws Exception {
        MockEndpoint drop = getMockEndpoint("mock:direct:drop-pdf");
        MockEndpoint ledger = getMockEndpoint("mock:direct:ledger-file");
        drop.expectedMessageCount(0);
        ledger.expectedMessageCount(1);
        ListedFile data = downloaded(RouteFileTest.akamaiFile("2025-01", "9001", "text/csv", "invoice.csv"), "a,b\n1,2\n");

        Exchange done = sendItem("direct:store-file", run("2025-01"), data);

        assertNull(done.getException());
        MockEndpoint.assertIsSatisfied(drop, ledger);
        assertTrue(bean("deliveryLog", DeliveryLog.class).isStored(data));
    }

    private ListedFile downloaded(ListedFile file, String content) throws Exception {
        Path tmp = Files.createDirectories(harvest().out().resolve("tmp")).resolve(file.getSafeFileName() + ".part");
        Files.writeString(tmp, content);
        file.setDownloaded(tmp, content.length(), "0".repeat(64));
        return file;
    }
}
