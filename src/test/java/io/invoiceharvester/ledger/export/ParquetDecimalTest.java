package io.invoiceharvester.ledger.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.invoiceharvester.ledger.NumberPrecisionTest;
import io.invoiceharvester.values.Amounts;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A number's text read into Parquet's DECIMAL(38,18) without BigDecimal gives the bytes BigDecimal gives. */
class ParquetDecimalTest {

    @Test
    void theDigitByDigitDecimalIsBigDecimals() {
        List<String> texts = new ArrayList<>(List.of("0", "0.0000000000", "-0.5000000000", "1", "-1", "9.999999999999999999",
                NumberPrecisionTest.WIDEST, "-" + NumberPrecisionTest.WIDEST, "99999999999999999999.999999999999999999",
                "-99999999999999999999.999999999999999999", "18446744073709551616", "-9223372036854775808", "1E+3", "7.5E-7",
                "0E-10", "100", "999999999999999999.999999999999999999", "-999999999999999999.999999999999999999",
                "1000000000000000000", "-0", "-0.000000000000000001", "0.000000000000000001", "123456789012345678"));
        Random random = new Random(5);
        for (int i = 0; i < 50_000; i++) {
            BigDecimal v = new BigDecimal(new BigInteger(1 + random.nextInt(125), random), random.nextInt(19));
            if (v.precision() - v.scale() > Amounts.MAX_INTEGER_DIGITS) {
                continue;
            }
            v = random.nextBoolean() ? v.negate() : v;
            texts.add(random.nextInt(5) == 0 ? v.toString() : v.toPlainString());
        }
        for (String t : texts) {
            assertArrayEquals(ParquetLedgerFile.decimal(new BigDecimal(t)).getBytes(), ParquetLedgerFile.decimal(t).getBytes(), t);
        }
    }
}
