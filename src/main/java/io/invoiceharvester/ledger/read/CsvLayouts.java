package io.invoiceharvester.ledger.read;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.invoiceharvester.delivery.CappedLineReader;
import io.invoiceharvester.ledger.table.LedgerLine;
import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.model.ListedFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The CSV layouts the ledger knows: the packaged ones (csv-layouts/ on the class path), each replaced by
 * a user's file of the same name in harvester.ledger.csv-layouts, and the user's others. Validated as a
 * whole when the harvester starts: every problem is named, and two layouts that would both recognise one
 * header stop it, naming both.
 */
public final class CsvLayouts {

    /** The packaged layouts (src/main/resources/csv-layouts/NAME.yaml). */
    static final List<String> PACKAGED = List.of("akamai-invoice", "akamai-compute");
    /** Delimiters a header is tried with when no layout recognises it, to tell an unknown header from none. */
    private static final List<Character> COMMON_DELIMITERS = List.of(',', ';', '\t', '|');
    /** A key written twice is an error (else the second would win without a word); nesting is bounded. */
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .loaderOptions(nestingLimited())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private final List<CsvLayout> layouts;

    private CsvLayouts(List<CsvLayout> layouts) {
        this.layouts = List.copyOf(layouts);
    }

    /**
     * The packaged layouts, and the user's from {@code userDir} (null: none).
     *
     * @throws IllegalArgumentException listing every problem, one a line
     */
    public static CsvLayouts load(Path userDir) {
        List<String> problems = new ArrayList<>();
        Map<String, CsvLayout> byName = new LinkedHashMap<>();
        for (String name : PACKAGED) {
            try (InputStream in = CsvLayouts.class.getResourceAsStream("/csv-layouts/" + name + ".yaml")) {
                add(byName, name, in == null ? null : read(in.readAllBytes()), problems);
            } catch (IOException e) {
                problems.add(name + ".yaml (packaged): " + e.getMessage());
            }
        }
        if (userDir != null) {
            if (!Files.isDirectory(userDir)) {
                throw new IllegalArgumentException(userDir + " is not a folder of layout files (NAME.yaml)");
            }
            try (Stream<Path> files = Files.list(userDir)) {
                for (Path file : files.sorted().toList()) {
                    String fileName = file.getFileName().toString();
                    if (fileName.endsWith(".yml")) {
                        problems.add(fileName + ": a layout file is named NAME.yaml; rename it, or it is not read");
                        continue;
                    }
                    if (!fileName.endsWith(".yaml")) {
                        continue;
                    }
                    String name = fileName.replaceFirst("\\.yaml$", "");
                    try {
                        add(byName, name, read(Files.readAllBytes(file)), problems);
                    } catch (JsonProcessingException e) {
                        problems.add(fileName + ": " + (e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ", column "
                                + e.getLocation().getColumnNr() + ": ") + e.getOriginalMessage());
                    } catch (RuntimeException | StackOverflowError e) {
                        problems.add(fileName + ": not a layout file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException(userDir + " cannot be read (" + e.getMessage() + ")");
            }
        }
        List<CsvLayout> layouts = new ArrayList<>(byName.values());
        for (int i = 0; i < layouts.size(); i++) {
            for (int j = i + 1; j < layouts.size(); j++) {
                CsvLayout a = layouts.get(i);
                CsvLayout b = layouts.get(j);
                Set<String> header = b.recognises(a.describedHeader()) ? a.describedHeader()
                        : a.recognises(b.describedHeader()) ? b.describedHeader() : null;
                if (header != null) {
                    problems.add(a.name + ".yaml and " + b.name + ".yaml both recognise the header " + header
                            + ": add one of the other's columns to one layout's recognise.without, or make their recognise.columns differ");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join(System.lineSeparator(), problems));
        }
        return new CsvLayouts(layouts);
    }

    private static LoaderOptions nestingLimited() {
        LoaderOptions options = new LoaderOptions();
        options.setNestingDepthLimit(64);
        return options;
    }

    /** One YAML document: a second one (after `---`) is refused, not left unread. */
    private static JsonNode read(byte[] yaml) throws IOException {
        try (JsonParser parser = YAML.createParser(yaml)) {
            JsonNode first = YAML.readTree(parser);
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "a second YAML document (after ---): a layout file holds one layout");
            }
            return first;
        }
    }

    private static void add(Map<String, CsvLayout> byName, String name, JsonNode yaml, List<String> problems) {
        CsvLayout layout = CsvLayout.read(name, yaml, problems);
        if (layout != null) {
            byName.put(name, layout); // a user's file of a packaged name replaces it
        }
    }

    /** The layouts' names, in the order they were read. */
    public List<String> names() {
        return layouts.stream().map(l -> l.name).toList();
    }

    /**
     * The ledger lines of an archived CSV, read by the layout its header names, outside a route (the bench, tests):
     * the records as ledger-csv unmarshals them, mapped one at a time.
     *
     * @param entry the list entry the file was fetched for: rows stating another invoice or account are refused
     * @throws UnmappedLayoutException when no layout, or more than one, recognises the header
     */
    public Stream<LedgerLine> lines(Path file, ListedFile entry) throws IOException {
        Recognised recognised = recognise(file);
        CsvNormalizer normalizer = recognised.normalizer(entry);
        CSVParser parser = CSVParser.parse(rows(file), format(recognised.layout().delimiter));
        return parser.stream().flatMap(record -> normalizer.lines(List.of(record.toList())).stream()).onClose(() -> {
            try {
                parser.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The layout an archived CSV's header names, and that header. */
    public record Recognised(CsvLayout layout, List<String> header) {
        /** Maps the file's records, its header first, into ledger lines. */
        public CsvNormalizer normalizer(ListedFile entry) {
            return new CsvNormalizer(layout, header, entry);
        }
    }

    /** An archived CSV's text, each line capped (CappedLineReader) before a parser sees it. */
    public static Reader rows(Path file) throws IOException {
        return new CappedLineReader(Files.newBufferedReader(file, StandardCharsets.UTF_8));
    }

    /**
     * The layout an archived CSV's header (its first line) names.
     *
     * @throws UnmappedLayoutException when no layout, or more than one, recognises the header
     * @throws InvalidContentException when its first line is no header at all
     */
    public Recognised recognise(Path file) throws IOException {
        String firstLine;
        try (BufferedReader r = new BufferedReader(rows(file))) {
            firstLine = r.readLine();
        } catch (MalformedInputException e) {
            throw new InvalidContentException("CSV is not UTF-8 text");
        }
        if (firstLine == null || firstLine.isBlank()) {
            throw new InvalidContentException("CSV is empty: no header row");
        }
        List<CsvLayout> matching = new ArrayList<>();
        Map<Character, List<String>> headers = new LinkedHashMap<>();
        for (CsvLayout layout : layouts) {
            List<String> header = headers.computeIfAbsent(layout.delimiter, d -> split(firstLine, d));
            Set<String> names = new LinkedHashSet<>();
            header.forEach(h -> names.add(CsvLayout.normalize(h)));
            if (layout.recognises(names)) {
                matching.add(layout);
            }
        }
        if (matching.size() != 1) {
            throw unmapped(firstLine, matching);
        }
        return new Recognised(matching.get(0), headers.get(matching.get(0).delimiter));
    }

    /** No layout (or two) for a header: it waits for one; a first line of data or blanks is no header at all. */
    private static RuntimeException unmapped(String firstLine, List<CsvLayout> matching) {
        List<String> widest = COMMON_DELIMITERS.stream().map(d -> split(firstLine, d))
                .max(Comparator.comparingInt(List::size)).orElseThrow();
        String shown = firstLine.length() > 200 ? firstLine.substring(0, 197) + "..." : firstLine;
        if (widest.size() < 2 || widest.stream().anyMatch(h -> h.isBlank() || h.trim().matches("[-+]?[0-9][0-9.,/: T-]*"))) {
            return new InvalidContentException("row 1: no recognizable CSV header (" + shown + ")");
        }
        return new UnmappedLayoutException(matching.isEmpty() ? "CSV columns not recognised by any layout: " + shown
                : "CSV columns recognised by more than one layout (" + String.join(", ", matching.stream().map(l -> l.name).toList())
                + "): " + shown);
    }

    private static List<String> split(String line, char delimiter) {
        try (CSVParser p = CSVParser.parse(new StringReader(line), format(delimiter))) {
            Iterator<CSVRecord> it = p.iterator();
            return it.hasNext() ? it.next().toList() : List.of();
        } catch (IOException | UncheckedIOException e) {
            return List.of(line); // an unbalanced quote: one name, which no layout recognises
        }
    }

    private static CSVFormat format(char delimiter) {
        return CSVFormat.DEFAULT.builder().setDelimiter(delimiter).get();
    }
}
