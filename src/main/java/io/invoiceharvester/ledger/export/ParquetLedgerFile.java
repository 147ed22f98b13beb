package io.invoiceharvester.ledger.export;

import io.invoiceharvester.values.Amounts;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Parquet with typed columns: strings (ids too), DECIMAL(38,18) for quantities, prices and money, UTC
 * timestamps. Written with parquet-java's local file API: no Hadoop at run time, and so uncompressed
 * (its codecs need Hadoop classes).
 */
final class ParquetLedgerFile implements LedgerFile {

    static final int PRECISION = 38;
    /** The ledger's own scale (the database's DECIMAL(38,18)): every number in it fits exactly. */
    static final int SCALE = Amounts.MAX_DECIMALS;
    private static final int DECIMAL_BYTES = 16;
    /** 10^0 to 10^18. */
    private static final long[] POWERS_OF_TEN = LongStream.iterate(1, p -> p * 10).limit(SCALE + 1).toArray();

    static final MessageType SCHEMA = schema();

    private final ParquetWriter<String[]> writer;

    /** keyValues: the file's key-value metadata (the FOCUS schema it follows). */
    ParquetLedgerFile(Path file, Map<String, String> keyValues) throws IOException {
        Builder b = new Builder(new LocalOutputFile(file), keyValues).withConf(new PlainParquetConfiguration())
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                // a page's size is checked every 1,000 rows at the most often (100 by default): the check sums
                // every column's buffers, and a page a little over its 1 MiB costs nothing
                .withMinRowCountForPageSizeCheck(1000)
                // a row group's pages stay in memory until it is written: at 128 MiB (the default) and -Xmx256m the
                // collector paused 660 times, 9.7 s of a 20.5 s export; at 16 MiB, 290 times, 3.6 s
                .withRowGroupSize(16 * 1024 * 1024)
                // the size statistics (unencoded sizes, level histograms) are for planners no reader of a month uses
                .withSizeStatisticsEnabled(false);
        for (FocusColumns.Column c : FocusColumns.ALL) {
            // minimum and maximum only for the datetimes, by which a reader skips the months outside a period: on
            // strings each value was compared twice, byte by byte, a tenth of the encoding's time
            b = b.withStatisticsEnabled(c.name(), c.kind() == FocusColumns.Kind.DATETIME);
            if (c.kind() == FocusColumns.Kind.NUMBER || c.kind() == FocusColumns.Kind.MONEY) {
                // amounts and quantities hardly repeat: a dictionary only costs hashing until it gives up
                b = b.withDictionaryEncoding(c.name(), false);
            }
        }
        writer = b.build();
    }

    @Override
    public void write(String[] row) throws IOException {
        writer.write(row);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    private static MessageType schema() {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (FocusColumns.Column c : FocusColumns.ALL) {
            b.addField(switch (c.kind()) {
                case TEXT -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(c.name());
                case NUMBER, MONEY -> Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(DECIMAL_BYTES)
                        .as(LogicalTypeAnnotation.decimalType(SCALE, PRECISION)).named(c.name());
                case DATETIME -> Types.optional(PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS)).named(c.name());
            });
        }
        return b.named("focus_cost_and_usage");
    }

    /**
     * A number's text (as a row holds it) as Parquet's DECIMAL(38,18): the unscaled value, big-endian two's
     * complement, sign-extended to the fixed width. Plain text with up to 18 integer digits (every amount a provider
     * bills) is read into two longs, the integer part and the fraction scaled to 18 decimals, and joined by one
     * 128-bit multiplication; anything else (an exponent, now and then H2's; 19 or 20 integer digits) goes through
     * BigDecimal.
     */
    static Binary decimal(String v) {
        int n = v.length();
        int start = v.startsWith("-") ? 1 : 0;
        int point = v.indexOf('.');
        int integerEnd = point < 0 ? n : point;
        int decimals = point < 0 ? 0 : n - point - 1;
        if (integerEnd - start < 1 || integerEnd - start > 18 || decimals > SCALE) {
            return decimal(new BigDecimal(v));
        }
        long whole = 0;
        for (int i = start; i < integerEnd; i++) {
            int digit = v.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return decimal(new BigDecimal(v)); // what BigDecimal makes of it, or its error
            }
            whole = whole * 10 + digit;
        }
        long fraction = 0;
        for (int i = integerEnd + 1; i < n; i++) {
            int digit = v.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return decimal(new BigDecimal(v));
            }
            fraction = fraction * 10 + digit;
        }
        fraction *= POWERS_OF_TEN[SCALE - decimals];
        // (hi, lo) = whole * 10^18 + fraction; both factors are below 2^63, so the signed high half is the unsigned one
        long hi = Math.multiplyHigh(whole, POWERS_OF_TEN[SCALE]);
        long lo = whole * POWERS_OF_TEN[SCALE];
        long sum = lo + fraction;
        hi += Long.compareUnsigned(sum, lo) < 0 ? 1 : 0;
        lo = sum;
        if (start == 1) { // two's complement: invert and add one
            hi = ~hi;
            lo = ~lo + 1;
            hi += lo == 0 ? 1 : 0;
        }
        byte[] out = new byte[DECIMAL_BYTES];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (hi >>> (56 - 8 * i));
            out[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return Binary.fromConstantByteArray(out);
    }

    /** A day's text (YYYY-MM-DD, as a row holds it) as its UTC midnight in epoch milliseconds. */
    static long midnightMillis(String day) {
        if (day.length() != 10) {
            return LocalDate.parse(day).toEpochDay() * 86_400_000L;
        }
        return LocalDate.of(Integer.parseInt(day, 0, 4, 10), Integer.parseInt(day, 5, 7, 10), Integer.parseInt(day, 8, 10, 10))
                .toEpochDay() * 86_400_000L;
    }

    /** Big-endian two's complement, sign-extended to the fixed width. */
    static Binary decimal(BigDecimal v) {
        byte[] unscaled = v.setScale(SCALE, RoundingMode.UNNECESSARY).unscaledValue().toByteArray();
        byte[] out = new byte[DECIMAL_BYTES];
        byte pad = (byte) (unscaled[0] < 0 ? 0xFF : 0x00);
        int offset = DECIMAL_BYTES - unscaled.length;
        for (int i = 0; i < offset; i++) {
            out[i] = pad;
        }
        System.arraycopy(unscaled, 0, out, offset, unscaled.length);
        return Binary.fromConstantByteArray(out);
    }

    private static final class RowWriteSupport extends WriteSupport<String[]> {
        private final Map<String, String> keyValues;
        private final String[] names = FocusColumns.names().toArray(String[]::new);
        /** Per column, the last text and what it became: a month's lines repeat their ids, names and days. */
        private final String[] lastText = new String[FocusColumns.KINDS.length];
        private final Binary[] lastBinary = new Binary[FocusColumns.KINDS.length];
        private final long[] lastMillis = new long[FocusColumns.KINDS.length];
        private RecordConsumer consumer;

        RowWriteSupport(Map<String, String> keyValues) {
            this.keyValues = keyValues;
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(SCHEMA, new HashMap<>(keyValues));
        }

        @Override
        public WriteContext init(ParquetConfiguration configuration) {
            return new WriteContext(SCHEMA, new HashMap<>(keyValues));
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(String[] row) {
            consumer.startMessage();
            for (int i = 0; i < row.length; i++) {
                if (row[i] == null) {
                    continue;
                }
                consumer.startField(names[i], i);
                boolean same = row[i].equals(lastText[i]);
                lastText[i] = row[i];
                switch (FocusColumns.KINDS[i]) {
                    // array-backed: hashed and compared by the dictionary faster than fromString's buffer-backed one
                    case TEXT -> consumer.addBinary(same ? lastBinary[i]
                            : (lastBinary[i] = Binary.fromConstantByteArray(row[i].getBytes(StandardCharsets.UTF_8))));
                    case NUMBER, MONEY -> consumer.addBinary(same ? lastBinary[i] : (lastBinary[i] = decimal(row[i])));
                    case DATETIME -> consumer.addLong(same ? lastMillis[i] : (lastMillis[i] = midnightMillis(row[i])));
                }
                consumer.endField(names[i], i);
            }
            consumer.endMessage();
        }
    }

    private static final class Builder extends ParquetWriter.Builder<String[], Builder> {
        private final Map<String, String> keyValues;

        Builder(OutputFile file, Map<String, String> keyValues) {
            super(file);
            this.keyValues = keyValues;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<String[]> getWriteSupport(Configuration conf) {
            return new RowWriteSupport(keyValues);
        }

        @Override
        protected WriteSupport<String[]> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport(keyValues);
        }
    }
}
