package io.invoiceharvester.ledger.read;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One CSV layout, read from a YAML file (packaged under csv-layouts/, or the user's in
 * harvester.ledger.csv-layouts): which header it recognises, which column holds what the ledger needs,
 * how its dates and numbers are written. docs/ledger.md ("CSV layouts") explains every key.
 */
public final class CsvLayout {

    /** What a column holds for the ledger; the YAML names them in lower case with dashes. */
    enum Role {
        INVOICE_ID, ACCOUNT_ID, ACCOUNT_NAME, START_DATE, END_DATE, LAST_DATE, DESCRIPTION, SERVICE, PRODUCT_LINE, REGION,
        SKU, ITEM_TYPE, QUANTITY, UNIT, UNIT_PRICE, CURRENCY, COST, TAX, TOTAL;

        String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Role of(String key) {
            for (Role r : values()) {
                if (r.key().equals(key)) {
                    return r;
                }
            }
            return null;
        }
    }

    private static final Set<String> KEYS = Set.of("description", "recognise", "delimiter", "date-format", "number", "columns",
            "ignore", "required", "constants", "usage-item-types");
    private static final Set<String> CONSTANTS = Set.of("category-hint", "item-type");
    /** The delimiters ledger-csv unmarshals with, by the name its choice reads (routes/ledger.camel.yaml). */
    private static final Map<Character, String> DELIMITERS = Map.of(',', "comma", ';', "semicolon", '\t', "tab", '|', "pipe");

    final String name;
    final String description;
    final Set<String> recognise;
    final Set<String> without;
    final char delimiter;
    /** null: ISO 8601 dates and date-times (IsoDates). */
    final DateTimeFormatter dateFormat;
    final String datePattern;
    final char decimalSeparator;
    /** 0: none. */
    final char groupingSeparator;
    final Map<Role, List<String>> columns;
    final Set<String> ignore;
    final Set<Role> required;
    final String categoryHint;
    final String itemType;
    /** null: every row is usage-based. */
    final Set<String> usageItemTypes;

    /** The layout's name, as its file names it. */
    public String getName() {
        return name;
    }

    /** comma, semicolon, tab or pipe: the delimiter ledger-csv's choice unmarshals the file with. */
    public String getDelimiter() {
        return DELIMITERS.get(delimiter);
    }

    private CsvLayout(String name, JsonNode yaml, List<String> problems) {
        this.name = name;
        Problems p = new Problems(name, problems);
        for (Iterator<String> keys = yaml.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!KEYS.contains(key)) {
                p.add("unknown key '" + key + "' (known: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
            }
        }
        description = yaml.path("description").asText(name);
        recognise = names(yaml.path("recognise").path("columns"), "recognise.columns", p);
        if (recognise.isEmpty()) {
            p.add("recognise.columns: name the header columns that recognise this layout");
        }
        without = names(yaml.path("recognise").path("without"), "recognise.without", p);
        delimiter = oneChar(yaml.path("delimiter"), "delimiter", ',', false, p);
        if (!DELIMITERS.containsKey(delimiter)) {
            p.add("delimiter: '" + delimiter + "' is not one ledger-csv reads: a comma, a semicolon, a tab or a pipe");
        }
        dateFormat = dateFormat(yaml.path("date-format"), p);
        datePattern = dateFormat == null ? "ISO 8601" : text(yaml.path("date-format"));
        decimalSeparator = oneChar(yaml.path("number").path("decimal-separator"), "number.decimal-separator", '.', false, p);
        groupingSeparator = oneChar(yaml.path("number").path("grouping-separator"), "number.grouping-separator", (char) 0, true, p);
        if (groupingSeparator == decimalSeparator) {
            p.add("number: the grouping separator cannot be the decimal separator");
        }
        columns = columns(yaml.path("columns"), p);
        ignore = names(yaml.path("ignore"), "ignore", p);
        required = requiredRoles(yaml.path("required"), p);
        JsonNode constants = yaml.path("constants");
        for (Iterator<String> keys = constants.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!CONSTANTS.contains(key)) {
                p.add("constants: unknown constant '" + key + "' (known: " + String.join(", ", CONSTANTS) + ")");
            }
        }
        categoryHint = text(constants.path("category-hint"));
        itemType = text(constants.path("item-type"));
        JsonNode usage = yaml.path("usage-item-types");
        usageItemTypes = usage.isMissingNode() ? null : names(usage, "usage-item-types", p);
        if (usageItemTypes != null && !columns.containsKey(Role.ITEM_TYPE) && itemType == null) {
            p.add("usage-item-types: needs an item-type column (or constant)");
        }
        for (Role role : required) {
            if (!columns.containsKey(role)) {
                p.add("required: " + role.key() + " has no column in columns");
            }
        }
        if (!columns.containsKey(Role.COST)) {
            p.add("columns.cost: required (the column of each row's amount)");
        }
        both(Role.TAX, Role.TOTAL, p);
        both(Role.END_DATE, Role.LAST_DATE, p);
    }

    /** The layout a YAML tree describes; its problems, each naming the file, are added to {@code problems}. */
    static CsvLayout read(String name, JsonNode yaml, List<String> problems) {
        if (yaml == null || !yaml.isObject()) {
            problems.add(name + ": not a YAML mapping of the layout's keys");
            return null;
        }
        int before = problems.size();
        CsvLayout layout = new CsvLayout(name, yaml, problems);
        return problems.size() == before ? layout : null;
    }

    /** A header name as layouts match it: case, spaces and underscores do not count. */
    static String normalize(String header) {
        String h = header.startsWith("\uFEFF") ? header.substring(1) : header;
        return h.trim().toUpperCase(Locale.ROOT).replace(" ", "").replace("_", "");
    }

    /** Whether a header (its normalized names) is this layout's. */
    boolean recognises(Set<String> header) {
        return header.containsAll(recognise) && without.stream().noneMatch(header::contains);
    }

    /** The header this layout describes: every column it names. */
    Set<String> describedHeader() {
        Set<String> all = new LinkedHashSet<>(recognise);
        columns.values().forEach(all::addAll);
        all.addAll(ignore);
        return all;
    }

    /** Every column this layout knows, mapped or ignored: the others are kept as x_SourceColumns. */
    boolean knows(String normalizedName) {
        return ignore.contains(normalizedName) || columns.values().stream().anyMatch(c -> c.contains(normalizedName));
    }

    @Override
    public String toString() {
        return name;
    }

    private void both(Role a, Role b, Problems p) {
        if (columns.containsKey(a) && columns.containsKey(b)) {
            p.add("columns: " + a.key() + " and " + b.key() + " exclude each other; map one");
        }
    }

    private static Map<Role, List<String>> columns(JsonNode node, Problems p) {
        Map<Role, List<String>> out = new EnumMap<>(Role.class);
        if (!node.isObject()) {
            p.add("columns: a mapping of ledger roles to header names is required");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Role role = Role.of(e.getKey());
            if (role == null) {
                p.add("columns: unknown role '" + e.getKey() + "' (known: "
                        + Arrays.stream(Role.values()).map(Role::key).collect(Collectors.joining(", ")) + ")");
                continue;
            }
            Set<String> names = names(e.getValue(), "columns." + e.getKey(), p);
            if (names.isEmpty()) {
                p.add("columns." + e.getKey() + ": name a header column");
            }
            out.put(role, List.copyOf(names));
        }
        return out;
    }

    private static Set<Role> requiredRoles(JsonNode node, Problems p) {
        Set<Role> out = EnumSet.noneOf(Role.class);
        for (String key : texts(node, "required", p)) {
            Role role = Role.of(key);
            if (role == null) {
                p.add("required: unknown role '" + key + "'");
            } else {
                out.add(role);
            }
        }
        return out;
    }

    /** Header names (a text or a list of texts), normalized. */
    private static Set<String> names(JsonNode node, String key, Problems p) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : texts(node, key, p)) {
            out.add(normalize(name));
        }
        return out;
    }

    private static List<String> texts(JsonNode node, String key, Problems p) {
        List<String> out = new ArrayList<>();
        if (node.isMissingNode() || node.isNull()) {
            return out;
        }
        for (JsonNode v : node.isArray() ? node : List.of(node)) {
            if (!v.isValueNode() || v.asText().isBlank()) {
                p.add(key + ": '" + v + "' is not a name");
            } else {
                out.add(v.asText().trim());
            }
        }
        return out;
    }

    private static char oneChar(JsonNode node, String key, char fallback, boolean mayBeEmpty, Problems p) {
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        String v = node.asText();
        if (v.isEmpty() && mayBeEmpty) {
            return 0;
        }
        if (v.length() != 1 || v.charAt(0) == '"' || v.charAt(0) == '\n' || v.charAt(0) == '\r') {
            p.add(key + ": '" + v + "' must be one character");
            return fallback;
        }
        return v.charAt(0);
    }

    private static DateTimeFormatter dateFormat(JsonNode node, Problems p) {
        String pattern = text(node);
        if (pattern == null || pattern.equalsIgnoreCase("iso")) {
            return null;
        }
        try {
            return DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
        } catch (IllegalArgumentException e) {
            p.add("date-format: '" + pattern + "' is not a date pattern (e.g. MM/dd/yyyy, dd.MM.yyyy, iso): " + e.getMessage());
            return null;
        }
    }

    private static String text(JsonNode node) {
        return node.isValueNode() && !node.asText().isBlank() ? node.asText().trim() : null;
    }

    /** A layout's problems, each line naming its file. */
    private record Problems(String name, List<String> out) {
        void add(String problem) {
            out.add(name + ".yaml: " + problem);
        }
    }
}
