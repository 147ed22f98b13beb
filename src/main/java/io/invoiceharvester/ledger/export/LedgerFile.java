package io.invoiceharvester.ledger.export;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** One month's export in one format, written row by row in {@link FocusColumns} order. */
public interface LedgerFile extends Closeable {

    /** A row as {@link FocusColumns.Rows} makes it. */
    void write(String[] row) throws IOException;

    /** The formats harvester.ledger.formats names. */
    enum Format {
        CSV, PARQUET;

        public String extension() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** A CSV cannot carry the schema it follows; a Parquet file names it in its key-value metadata. */
        LedgerFile open(Path file, FocusMetadata metadata) throws IOException {
            return this == CSV ? new CsvLedgerFile(file) : new ParquetLedgerFile(file, metadata.parquetKeyValues());
        }

        public static Format parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + name.trim() + "' is no ledger format (csv, parquet)");
            }
        }
    }
}
