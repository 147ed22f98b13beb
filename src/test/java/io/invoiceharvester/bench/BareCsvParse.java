package io.invoiceharvester.bench;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** The benchmark's yardstick: a bare commons-csv loop over a file. Prints "rows wall_ms". */
public final class BareCsvParse {

    private BareCsvParse() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        long rows = 0;
        long chars = 0;
        try (Reader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.parse(in, CSVFormat.DEFAULT)) {
            for (CSVRecord r : parser) {
                rows++;
                chars += r.get(0).length();
            }
        }
        System.out.println((rows - 1) + " " + (System.nanoTime() - start) / 1_000_000 + (chars < 0 ? "!" : ""));
    }
}
