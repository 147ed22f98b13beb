package io.invoiceharvester.ledger.read;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Provider units in FOCUS 1.2's UnitFormat: abbreviated data sizes ("GB"), plural count and time units
 * ("Requests", "Hours"), a whole-number quantity for scaled units ("1000000 Requests") and "-" or "/"
 * for composites ("GB-Months", "Mb/Second"). The consumed unit is the plain one, so that a quantity of
 * 310.5 "Hits (millions)" is consumed as 310500000 Requests. A unit not in the table keeps its words,
 * capitalized (FOCUS: a new count-based unit is capitalized); the raw value stays in x_UnitMeasure.
 */
final class Units {

    /** How a quantity in this unit is priced and consumed. */
    record Unit(String pricingUnit, String consumedUnit, BigDecimal consumedPerPricingUnit) {
        BigDecimal consumed(BigDecimal pricingQuantity) {
            return pricingQuantity == null ? null : pricingQuantity.multiply(consumedPerPricingUnit);
        }
    }

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1_000);
    private static final BigDecimal TEN_THOUSAND = BigDecimal.valueOf(10_000);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final BigDecimal BILLION = BigDecimal.valueOf(1_000_000_000);

    /** Akamai's UNIT_MEASURE (and COMPUTE's UNIT) values, lower case with single spaces. */
    private static final Map<String, Unit> KNOWN = Map.ofEntries(
            plain("b", "B"), plain("byte", "B"), plain("bytes", "B"),
            plain("kb", "KB"), plain("mb", "MB"), plain("gb", "GB"), plain("tb", "TB"), plain("pb", "PB"),
            plain("gigabyte", "GB"), plain("gigabytes", "GB"), plain("terabyte", "TB"), plain("terabytes", "TB"),
            plain("gb-month", "GB-Months"), plain("gb month", "GB-Months"), plain("gb-months", "GB-Months"),
            plain("gb/month", "GB-Months"), plain("tb-month", "TB-Months"), plain("tb month", "TB-Months"),
            plain("gb-hour", "GB-Hours"), plain("gb-hours", "GB-Hours"),
            plain("hit", "Requests"), plain("hits", "Requests"), plain("request", "Requests"), plain("requests", "Requests"),
            scaled("hits (thousands)", "1000 Requests", THOUSAND), scaled("thousand hits", "1000 Requests", THOUSAND),
            scaled("hits (millions)", "1000000 Requests", MILLION), scaled("million hits", "1000000 Requests", MILLION),
            scaled("hits (billions)", "1000000000 Requests", BILLION),
            scaled("requests (millions)", "1000000 Requests", MILLION),
            plain("second", "Seconds"), plain("seconds", "Seconds"), plain("minute", "Minutes"), plain("minutes", "Minutes"),
            plain("hour", "Hours"), plain("hours", "Hours"), plain("hr", "Hours"), plain("hrs", "Hours"),
            plain("day", "Days"), plain("days", "Days"), plain("month", "Months"), plain("months", "Months"),
            plain("year", "Years"), plain("years", "Years"),
            plain("kbps", "Kb/Second"), plain("mbps", "Mb/Second"), plain("gbps", "Gb/Second"),
            plain("each", "Units"), plain("ea", "Units"), plain("unit", "Units"), plain("units", "Units"),
            plain("count", "Count"), plain("domain", "Domains"), plain("domains", "Domains"),
            plain("certificate", "Certificates"), plain("certificates", "Certificates"));

    private Units() {
    }

    private static Map.Entry<String, Unit> plain(String raw, String unit) {
        return Map.entry(raw, new Unit(unit, unit, BigDecimal.ONE));
    }

    private static Map.Entry<String, Unit> scaled(String raw, String pricing, BigDecimal factor) {
        return Map.entry(raw, new Unit(pricing, pricing.substring(pricing.indexOf(' ') + 1), factor));
    }

    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern NOT_WORDS = Pattern.compile("[^A-Za-z0-9]+");

    /** An Akamai or COMPUTE unit; null when the line names none. */
    static Unit of(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String key = SPACES.matcher(raw.trim()).replaceAll(" ").toLowerCase(Locale.ROOT);
        Unit known = KNOWN.get(key);
        if (known != null) {
            return known;
        }
        // UnitFormat allows words, digits and spaces in a count unit: anything else becomes a space
        String words = NOT_WORDS.matcher(raw).replaceAll(" ").trim();
        String unit = words.isEmpty() || !Character.isLetter(words.charAt(0)) ? "Units" : capitalize(words);
        return new Unit(unit, unit, BigDecimal.ONE);
    }

    /**
     * A Fastly line's unit, from its usage type: Fastly's invoices state no unit, so the harvester uses
     * the units Fastly prices in (bandwidth in GB, delivery requests per 10,000, compute requests per
     * million, subscriptions per month).
     */
    static Unit fastly(String usageType, boolean compute) {
        String type = usageType == null ? "" : usageType.trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "bandwidth" -> of("GB");
            case "requests" -> compute ? new Unit("1000000 Requests", "Requests", MILLION)
                    : new Unit("10000 Requests", "Requests", TEN_THOUSAND);
            case "subscription" -> of("Months");
            case "" -> of("Units");
            default -> of(usageType);
        };
    }

    private static String capitalize(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean start = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(start ? Character.toUpperCase(c) : c);
            start = c == ' ';
        }
        return out.toString();
    }
}
