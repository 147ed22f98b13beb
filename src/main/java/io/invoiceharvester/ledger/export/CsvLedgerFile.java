package io.invoiceharvester.ledger.export;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * RFC 4180 CSV, UTF-8, CRLF, FOCUS column names as the header; values exact and verbatim (machine data). Quoted
 * as commons-csv's RFC4180 format quotes (CsvLedgerFileTest compares the two on awkward values): a value is put in
 * quotes when it starts with a character up to '#', ends with one up to ' ', or holds a comma, a quote, CR or LF;
 * a quote inside is doubled; an empty first value is "" so that a row is never an empty line; a null is empty.
 * Written here rather than by CSVPrinter, which makes a synchronized call per value and per character: that took
 * a third of the export's time.
 */
final class CsvLedgerFile implements LedgerFile {

    private static final int BLOCK = 1 << 16;
    private static final String HEADER = String.join(",", FocusColumns.names()) + "\r\n";

    private final Writer file;
    private final StringBuilder text = new StringBuilder(BLOCK + 8192);

    CsvLedgerFile(Path path) throws IOException {
        file = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        text.append(HEADER); // the names need no quotes
    }

    @Override
    public void write(String[] row) throws IOException {
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            FocusColumns.Kind kind = FocusColumns.KINDS[i];
            if (kind == FocusColumns.Kind.TEXT) {
                value(row[i], i == 0);
            } else if (row[i] != null) { // numbers and datetimes need no quotes
                text.append(FocusColumns.format(kind, row[i]));
            }
        }
        endRecord();
    }

    private void value(String v, boolean first) {
        if (v == null) {
            return;
        }
        if (!quoted(v, first)) {
            text.append(v);
            return;
        }
        text.append('"');
        int from = 0;
        for (int at = v.indexOf('"'); at >= 0; at = v.indexOf('"', at + 1)) {
            text.append(v, from, at + 1).append('"');
            from = at + 1;
        }
        text.append(v, from, v.length()).append('"');
    }

    private static boolean quoted(String v, boolean first) {
        if (v.isEmpty()) {
            return first;
        }
        if (v.charAt(0) <= '#' || v.charAt(v.length() - 1) <= ' ') {
            return true;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }

    private void endRecord() throws IOException {
        text.append("\r\n");
        if (text.length() >= BLOCK) {
            file.append(text);
            text.setLength(0);
        }
    }

    @Override
    public void close() throws IOException {
        try (file) {
            file.append(text);
        }
    }
}
