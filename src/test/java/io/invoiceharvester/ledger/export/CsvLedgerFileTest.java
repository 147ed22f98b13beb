package io.invoiceharvester.ledger.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.BufferedWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's CSV writer prints the bytes commons-csv's RFC4180 printer printed for the same rows, awkward ones most. */
class CsvLedgerFileTest {

    private static final String AWKWARD = "\"',;# !\t\r\n aZé€😀0.-";

    @TempDir
    Path dir;

    @Test
    void theFileIsWhatCommonsCsvPrintsForTheSameRows() throws Exception {
        Random random = new Random(11);
        List<String[]> rows = new ArrayList<>();
        for (String edge : List.of("", " ", "#", "\"", "a\"b", "a,b", "a\r\nb", "a ", " a", "!a", "$a", "é", "\u0000x", "x\t")) {
            rows.add(row(random, edge));
        }
        for (int i = 0; i < 5000; i++) {
            rows.add(row(random, null));
        }
        Path mine = dir.resolve("mine.csv");
        try (CsvLedgerFile f = new CsvLedgerFile(mine)) {
            for (String[] r : rows) {
                f.write(r);
            }
        }
        Path theirs = dir.resolve("commons-csv.csv");
        try (BufferedWriter w = Files.newBufferedWriter(theirs, StandardCharsets.UTF_8); CSVPrinter out = new CSVPrinter(w,
                CSVFormat.RFC4180.builder().setHeader(FocusColumns.names().toArray(String[]::new)).get())) {
            for (String[] r : rows) {
                Object[] cells = new Object[r.length];
                for (int i = 0; i < r.length; i++) {
                    cells[i] = FocusColumns.format(FocusColumns.ALL.get(i).kind(), r[i]);
                }
                out.printRecord(cells);
            }
        }
        assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(mine));
    }

    /** A row of every column's kind; text columns awkward (every one of them the edge value when one is given). */
    private static String[] row(Random random, String edge) {
        String[] row = new String[FocusColumns.ALL.size()];
        for (int i = 0; i < row.length; i++) {
            row[i] = random.nextInt(8) == 0 ? null : switch (FocusColumns.ALL.get(i).kind()) {
                case TEXT -> edge != null ? edge : text(random);
                case NUMBER, MONEY -> number(random);
                case DATETIME -> LocalDate.of(2025, 1, 1).plusDays(random.nextInt(3)).toString();
            };
        }
        return row;
    }

    /** A number's text as a database gives it: plain, or (H2, now and then) with an exponent. */
    private static String number(Random random) {
        BigDecimal v = new BigDecimal(new BigInteger(1 + random.nextInt(90), random), random.nextInt(24) - 4);
        v = random.nextBoolean() ? v.negate() : v;
        return random.nextInt(4) == 0 ? v.toString() : v.toPlainString();
    }

    private static String text(Random random) {
        StringBuilder b = new StringBuilder();
        for (int n = random.nextInt(6); n > 0; n--) {
            b.appendCodePoint(AWKWARD.codePointAt(AWKWARD.offsetByCodePoints(0, random.nextInt(AWKWARD.codePointCount(0, AWKWARD.length())))));
        }
        return b.toString();
    }
}
