package io.invoiceharvester.ledger.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * A copy of a ledger CSV for a person to open: a text cell that a spreadsheet would run as a formula
 * (it begins with =, +, -, @, a tab or a carriage return) gets a leading apostrophe. Number columns stay
 * as they are (a credit is legitimately negative); the ledger file itself stays verbatim machine data.
 */
public final class SpreadsheetCopy {

    private SpreadsheetCopy() {
    }

    public static byte[] of(Path ledgerCsv) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Reader in = Files.newBufferedReader(ledgerCsv, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(in, CSVFormat.RFC4180);
             CSVPrinter out = new CSVPrinter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), CSVFormat.RFC4180)) {
            List<Boolean> text = null;
            for (CSVRecord record : parser) {
                List<String> cells = record.toList();
                if (text == null) {
                    text = new ArrayList<>();
                    for (String name : cells) {
                        text.add(FocusColumns.ALL.stream().noneMatch(c -> c.name().equals(name) && c.kind() != FocusColumns.Kind.TEXT));
                    }
                    out.printRecord(cells);
                    continue;
                }
                List<String> safe = new ArrayList<>(cells.size());
                for (int i = 0; i < cells.size(); i++) {
                    String v = cells.get(i);
                    safe.add(i < text.size() && text.get(i) && isFormula(v) ? "'" + v : v);
                }
                out.printRecord(safe);
            }
        }
        return bytes.toByteArray();
    }

    /** True when a spreadsheet would evaluate the text. */
    public static boolean isFormula(String v) {
        return !v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0;
    }
}
