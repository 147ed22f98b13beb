package io.invoiceharvester.values;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.invoiceharvester.ledger.NumberPrecisionTest;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The export's and the mails' number text, trimmed as text, is what BigDecimal's own stripping prints. */
class AmountsTextTest {

    /** What the export printed before: strip every trailing zero, then pad to the minimum. */
    private static String reference(BigDecimal v, int minDecimals) {
        BigDecimal s = v.stripTrailingZeros();
        return (s.scale() < minDecimals ? s.setScale(minDecimals) : s).toPlainString();
    }

    @Test
    void trimmedTextEqualsBigDecimalsStripping() {
        List<BigDecimal> values = new ArrayList<>();
        for (String v : List.of("0", "0.0000000000", "-0.5000000000", "100", "100.00", "1E+3", "1.2E+3", "-1200.000",
                "12.3", "12.30", "12.345", "0.0000000001", "1E-18", "-7.5E-7", "46733.333333333336",
                NumberPrecisionTest.WIDEST, "-" + NumberPrecisionTest.WIDEST, "99999999999999999999", "10.10")) {
            values.add(new BigDecimal(v));
            values.add(new BigDecimal(v).setScale(10, java.math.RoundingMode.HALF_EVEN));
            values.add(new BigDecimal(v).setScale(18, java.math.RoundingMode.HALF_EVEN));
        }
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            values.add(new BigDecimal(new BigInteger(1 + random.nextInt(120), random), random.nextInt(40) - 8)
                    .multiply(BigDecimal.valueOf(random.nextBoolean() ? 1 : -1)));
        }
        for (BigDecimal v : values) {
            for (int min = 0; min <= 2; min++) {
                assertEquals(reference(v, min), Amounts.text(v, min), v + " with at least " + min + " decimals");
                // as a database's text: plain (PostgreSQL), or with an exponent (H2's, for some)
                assertEquals(reference(v, min), Amounts.text(v.toPlainString(), min), v.toPlainString() + ", " + min);
                assertEquals(reference(v, min), Amounts.text(v.toString(), min), v + ", " + min);
            }
        }
    }
}
