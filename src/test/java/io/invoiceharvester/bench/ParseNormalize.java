package io.invoiceharvester.bench;

import io.invoiceharvester.ledger.CsvNormalizer;
import io.invoiceharvester.ledger.LedgerLine;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;

/**
 * The ingestion's work without a database: the same commons-csv parse and the same normalizing into
 * ledger lines, nothing stored. Prints "rows wall_ms".
 */
public final class ParseNormalize {

    private ParseNormalize() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        long rows = 0;
        int hash = 0;
        try (Reader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(in, CSVFormat.DEFAULT)) {
            Iterator<List<String>> records = parser.stream().map(r -> r.toList()).iterator();
            Iterator<LedgerLine> lines = CsvNormalizer.lines(records, null);
            while (lines.hasNext()) {
                hash += lines.next().billedCost().hashCode();
                rows++;
            }
        }
        System.out.println(rows + " " + (System.nanoTime() - start) / 1_000_000 + (hash == 42 ? " " : ""));
    }
}
