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

    static final MessageType SCHEMA = schema();

    private final ParquetWriter<String[]> writer;

    /** keyValues: the file's key-value metadata (the FOCUS schema it follows). */
    ParquetLedgerFile(Path file, Map<String, String> keyValues) throws IOException {
        Builder b = new Builder(new LocalOutputFile(file), keyValues).withConf(new PlainParquetConfiguration())
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                // a page's size is checked every 1,000 rows at the most often (100 by default): the check sums
                // every column's buffers, and a page a little over its 1 MiB costs nothing
                .withMinRowCountForPageSizeCheck(1000);
        for (FocusColumns.Column c : FocusColumns.ALL) {
            if (c.kind() == FocusColumns.Kind.NUMBER || c.kind() == FocusColumns.Kind.MONEY) {
                // amounts and quantities hardly repeat: a dictionary only costs hashing until it gives up, and their
                // minimum and maximum are no filter anyone reads by
                b = b.withDictionaryEncoding(c.name(), false).withStatisticsEnabled(c.name(), false);
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
     * complement, sign-extended to the fixed width. Plain text is read digit by digit into 128 bits (the ledger's 38
     * digits fit); text with an exponent (H2's, now and then) goes through BigDecimal.
     */
    static Binary decimal(String v) {
        boolean negative = v.startsWith("-");
        int point = v.indexOf('.');
        int decimals = point < 0 ? 0 : v.length() - point - 1;
        int integerDigits = (point < 0 ? v.length() : point) - (negative ? 1 : 0);
        if (decimals > SCALE || integerDigits > PRECISION - SCALE || v.indexOf('E') >= 0 || v.indexOf('e') >= 0) {
            return decimal(new BigDecimal(v));
        }
        long hi = 0;
        long lo = 0;
        for (int i = negative ? 1 : 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '.') {
                continue;
            }
            if (c < '0' || c > '9') {
                return decimal(new BigDecimal(v)); // what BigDecimal makes of it, or its error
            }
            // (hi, lo) = (hi, lo) * 10 + digit, unsigned 128-bit
            hi = hi * 10 + highOfTimesTen(lo);
            lo = lo * 10;
            long sum = lo + (c - '0');
            hi += Long.compareUnsigned(sum, lo) < 0 ? 1 : 0;
            lo = sum;
        }
        for (int i = decimals; i < SCALE; i++) {
            hi = hi * 10 + highOfTimesTen(lo);
            lo = lo * 10;
        }
        if (negative) { // two's complement: invert and add one
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

    /** The upper 64 bits of the unsigned 128-bit product lo * 10. */
    private static long highOfTimesTen(long lo) {
        return Math.multiplyHigh(lo, 10) + ((lo >> 63) & 10);
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
