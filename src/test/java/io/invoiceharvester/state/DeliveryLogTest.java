package io.invoiceharvester.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest.StateDb;
import io.invoiceharvester.model.Invoice;
import io.invoiceharvester.model.InvoiceFile;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.model.RunRequest;
import io.invoiceharvester.model.RunState;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The record of delivered files: a second record of one file is a no-op, any other refusal is a failure. */
class DeliveryLogTest extends HarvestTestSupport {

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void recordingAFileTwiceKeepsOneRowButARowTheDatabaseRefusesIsAFailure(StateDb db) throws Exception {
        on(db);
        try (StateDatabase state = h.openState()) {
            DeliveryLog log = new DeliveryLog(state.dataSource());
            RunState run = new RunState("delivery-log-test", new RunRequest("test", List.of(YearMonth.parse("2025-01")), List.of("akamai")));
            ListedFile stored = file("9001");
            stored.setDownloaded(dir.resolve("invoice.pdf"), 10, "a".repeat(64));
            stored.setStored(Path.of("akamai/2025-01/invoice.pdf"));

            log.recordStored(stored, run);
            log.recordStored(stored, run);
            assertEquals(1, h.count("SELECT COUNT(*) FROM harvested_file"));
            assertTrue(log.isStored(file("9001")));

            ListedFile neverStored = file("9002"); // no checksum: the database refuses it (NOT NULL), which is no duplicate
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> log.recordStored(neverStored, run));
            assertTrue(refused.getMessage().contains("recording a delivered file"), refused.getMessage());
        }
    }

    private static ListedFile file(String invoiceId) {
        return new ListedFile(new Listing("akamai", "2025-01", null), "2025-01",
                new Invoice("A-1", "C-1", invoiceId, "INVOICE", new BigDecimal("1.00"), "USD"),
                new InvoiceFile("invoice.pdf", "invoice.pdf", "1", "REGULAR", "application/pdf", "/download"));
    }
}
