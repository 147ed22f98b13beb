package io.invoiceharvester.bench;

import io.invoiceharvester.ledger.read.CsvLayouts;
import io.invoiceharvester.ledger.table.LedgerLine;
import io.invoiceharvester.model.Invoice;
import io.invoiceharvester.model.InvoiceFile;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The ingestion's work without a database: the same layout, commons-csv parse and normalizing into
 * ledger lines, nothing stored. Prints "rows wall_ms".
 */
public final class ParseNormalize {

    private ParseNormalize() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        long rows = 0;
        int hash = 0;
        ListedFile entry = new ListedFile(new Listing("akamai", "2025-01", null), "2025-01",
                new Invoice("A-BENCH01", "C-BENCH01", "9299999999", "INVOICE", null, "USD"),
                new InvoiceFile("compute.csv", "compute.csv", "1", "COMPUTE", "text/csv", null));
        try (Stream<LedgerLine> lines = CsvLayouts.load(null).lines(Path.of(args[0]), entry)) {
            for (LedgerLine line : (Iterable<LedgerLine>) lines::iterator) {
                hash += line.billedCost().hashCode();
                rows++;
            }
        }
        System.out.println(rows + " " + (System.nanoTime() - start) / 1_000_000 + (hash == 42 ? " " : ""));
    }
}
