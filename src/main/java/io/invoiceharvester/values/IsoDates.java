package io.invoiceharvester.values;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A provider's ISO 8601 date or date-time as a UTC instant: an offset (+01:00, -08:00, Z) is applied, and
 * a bare date or a time without an offset counts as UTC. One rule for the listing and the ledger, so an
 * invoice's month is the same wherever it is chosen.
 */
public final class IsoDates {

    private static final int MAX_TEXT = 64;

    private IsoDates() {
    }

    /** The instant, or null when the text is no ISO date or date-time. */
    public static Instant instant(String text) {
        if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
            return null;
        }
        String v = text.trim();
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            try {
                return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notDateTime) {
                try {
                    return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException notDate) {
                    return null;
                }
            }
        }
    }

    /** The UTC date-time, or null when the text is no ISO date or date-time. */
    public static OffsetDateTime utc(String text) {
        Instant t = instant(text);
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    /** The UTC month (YYYY-MM), or null when the text is no ISO date or date-time of a four-digit year. */
    public static String utcMonth(String text) {
        OffsetDateTime t = utc(text);
        return t == null || t.getYear() < 1000 || t.getYear() > 9999 ? null : YearMonth.from(t).toString();
    }
}
