package io.invoiceharvester.ledger;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
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
import org.apache.parquet.schema.Type;
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

    private final ParquetWriter<Object[]> writer;

    /** keyValues: the file's key-value metadata (the FOCUS schema it follows). */
    ParquetLedgerFile(Path file, Map<String, String> keyValues) throws IOException {
        writer = new Builder(new LocalOutputFile(file), keyValues).withConf(new PlainParquetConfiguration())
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build();
    }

    @Override
    public void write(Object[] row) throws IOException {
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

    private static final class RowWriteSupport extends WriteSupport<Object[]> {
        private final Map<String, String> keyValues;
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
        public void write(Object[] row) {
            List<Type> fields = SCHEMA.getFields();
            consumer.startMessage();
            for (int i = 0; i < row.length; i++) {
                if (row[i] == null) {
                    continue;
                }
                consumer.startField(fields.get(i).getName(), i);
                switch (FocusColumns.ALL.get(i).kind()) {
                    case TEXT -> consumer.addBinary(Binary.fromString((String) row[i]));
                    case NUMBER, MONEY -> consumer.addBinary(decimal((BigDecimal) row[i]));
                    case DATETIME -> consumer.addLong(((LocalDate) row[i]).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli());
                }
                consumer.endField(fields.get(i).getName(), i);
            }
            consumer.endMessage();
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
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
        protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
            return new RowWriteSupport(keyValues);
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(ParquetConfiguration conf) {
            return new RowWriteSupport(keyValues);
        }
    }
}
