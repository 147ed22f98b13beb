package io.invoiceharvester.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** RFC 4180 CSV, UTF-8, FOCUS column names as the header; values exact and verbatim (machine data). */
final class CsvLedgerFile implements LedgerFile {

    private final CSVPrinter out;
    private final String[] cells = new String[FocusColumns.ALL.size()];

    CsvLedgerFile(Path file) throws IOException {
        out = new CSVPrinter(Files.newBufferedWriter(file, StandardCharsets.UTF_8),
                CSVFormat.RFC4180.builder().setHeader(FocusColumns.names().toArray(String[]::new)).get());
    }

    @Override
    public void write(Object[] row) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            cells[i] = FocusColumns.format(FocusColumns.ALL.get(i).kind(), row[i]);
        }
        out.printRecord((Object[]) cells);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
