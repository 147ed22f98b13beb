package io.invoiceharvester.values;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Amounts, quantities and rates as providers send them, bounded where they are read: "1e999999999" is ten
 * characters that parse at once, but adding or printing it takes minutes or all memory. What the ledger
 * holds exactly (DECIMAL(38,18): 20 integer digits, 18 decimals, so at most 38 significant digits) is
 * accepted, such as JSON's floating-point 46733.333333333336 or 7.5E-7; anything else is refused with a reason.
 */
public final class Amounts {

    public static final int MAX_INTEGER_DIGITS = 20;
    public static final int MAX_DECIMALS = 18;
    private static final int MAX_TEXT = 64;

    private Amounts() {
    }

    /** @throws NumberFormatException naming the value and what is wrong with it */
    public static BigDecimal parse(String text) {
        String v = text.trim();
        if (v.length() > MAX_TEXT) {
            throw new NumberFormatException("'" + v.substring(0, 20) + "...' is out of range (longer than " + MAX_TEXT + " characters)");
        }
        try {
            return check(new BigDecimal(v));
        } catch (NumberFormatException e) {
            throw e.getMessage() != null && e.getMessage().contains("out of range") ? e
                    : new NumberFormatException("'" + v + "' is not a number");
        }
    }

    /** A JSON number or numeric string; null when absent, null or blank. */
    public static BigDecimal of(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.asText().isBlank()) {
            return null;
        }
        return node.isNumber() ? check(node.decimalValue()) : parse(node.asText());
    }

    /** @throws NumberFormatException when the value has more digits than the ledger holds exactly */
    public static BigDecimal check(BigDecimal v) {
        // precision - scale is the count of integer digits, cheap even for 1e999999999
        if ((long) v.precision() - v.scale() > MAX_INTEGER_DIGITS) {
            throw new NumberFormatException("'" + describe(v) + "' is out of range (more than " + MAX_INTEGER_DIGITS
                    + " integer digits)");
        }
        if (v.scale() > MAX_DECIMALS && v.stripTrailingZeros().scale() > MAX_DECIMALS) {
            throw new NumberFormatException("'" + describe(v) + "' is out of range (more than " + MAX_DECIMALS + " decimals)");
        }
        return v;
    }

    /**
     * A value the ledger computes (a price times a quantity): rounded half-even to the ledger's decimals.
     *
     * @throws NumberFormatException when it has more integer digits than the ledger holds
     */
    public static BigDecimal derived(BigDecimal v) {
        return check(v.scale() > MAX_DECIMALS ? v.setScale(MAX_DECIMALS, RoundingMode.HALF_EVEN) : v);
    }

    /**
     * Exact and plain (no exponent, no grouping, '.' as separator), trailing zeros dropped down to minDecimals:
     * {@code text(new BigDecimal("1.50000"), 2)} is "1.50", {@code text(BigDecimal.TEN, 1)} "10.0". The same as
     * stripTrailingZeros, setScale(minDecimals) when it has fewer and toPlainString.
     */
    public static String text(BigDecimal v, int minDecimals) {
        return text(v.toPlainString(), minDecimals);
    }

    /** Money as the summary, reports and the ledger show it: at least two decimals, no grouping, '.' as separator. */
    public static String money(BigDecimal v) {
        return text(v, 2);
    }

    /**
     * {@link #text(BigDecimal, int)} of a number's text as a database gives it, trimmed as text: the ledger's
     * numbers are stored at scale 10 or 18, and parsing and stripping them digit by digit dominated the export.
     */
    public static String text(String number, int minDecimals) {
        String s = number.indexOf('E') >= 0 || number.indexOf('e') >= 0 ? new BigDecimal(number).toPlainString() : number;
        int end = s.length();
        int point = s.indexOf('.');
        if (point < 0) {
            point = end;
        } else {
            while (end > point + 1 && s.charAt(end - 1) == '0') {
                end--;
            }
            if (end == point + 1) {
                end = point;
            }
        }
        int decimals = end > point ? end - point - 1 : 0;
        if (decimals >= minDecimals) {
            return end == s.length() ? s : s.substring(0, end);
        }
        StringBuilder b = new StringBuilder(end + minDecimals + 1).append(s, 0, end);
        if (decimals == 0) {
            b.append('.');
        }
        for (int i = decimals; i < minDecimals; i++) {
            b.append('0');
        }
        return b.toString();
    }

    /** The value in scientific notation: short, whatever its size. */
    private static String describe(BigDecimal v) {
        return v.unscaledValue().bitLength() > 256 ? "(a number of " + v.precision() + " digits)" : v.toString();
    }
}
