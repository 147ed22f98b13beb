package io.invoiceharvester;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.junit.jupiter.api.Test;

/**
 * Data at the bottom, orchestration at the top: each package names the packages it may use, as it really
 * uses them, and nothing else, so no dependency runs back up and a new one is a decision made here
 * (docs/code.md, "Where things are").
 */
class ArchitectureTest {

    /** Each package, bottom first, and the packages it uses. */
    static final Map<String, List<String>> USES = uses(
            "model", "",
            "values", "",
            "http", "model",
            "edgegrid", "http model",
            "state", "http model",
            "delivery", "model state",
            "ledger.table", "model state values",
            "ledger.read", "delivery ledger.table model state values",
            "ledger.export", "delivery model state values",
            "ledger.publish", "http ledger.export model",
            "akamai", "delivery http model state values",
            "fastly", "delivery http model state values",
            "summary", "delivery ledger.export ledger.table model state values",
            "config", "akamai delivery edgegrid http ledger.export ledger.publish ledger.read model state",
            "ops", "config http ledger.table model state summary",
            "run", "akamai config http model ops state values",
            "beans", "akamai config delivery edgegrid fastly http ledger.export ledger.publish ledger.read ledger.table model ops"
                    + " run state summary",
            "sandbox", "edgegrid",
            "cli", "akamai beans config fastly http ledger.export ledger.publish ledger.table model run sandbox state summary values");

    private static Map<String, List<String>> uses(String... packageAndUses) {
        Map<String, List<String>> uses = new LinkedHashMap<>();
        for (int i = 0; i < packageAndUses.length; i += 2) {
            List<String> used = packageAndUses[i + 1].isEmpty() ? List.of() : List.of(packageAndUses[i + 1].split(" "));
            assertTrue(uses.keySet().containsAll(used), packageAndUses[i] + " uses only packages listed before it: " + used);
            uses.put(packageAndUses[i], used);
        }
        return uses;
    }

    @Test
    void everyPackageUsesOnlyThePackagesItNames() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.invoiceharvester");
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String name : USES.keySet()) {
            layers = layers.layer(name).definedBy("io.invoiceharvester." + name + "..");
        }
        for (Map.Entry<String, List<String>> layer : USES.entrySet()) {
            layers = layer.getValue().isEmpty() ? layers.whereLayer(layer.getKey()).mayNotAccessAnyLayer()
                    : layers.whereLayer(layer.getKey()).mayOnlyAccessLayers(layer.getValue().toArray(String[]::new));
        }
        layers.check(classes);
    }

    /**
     * The same on the sources' import lines: an import the compiler leaves out of the bytecode (shadowed by a
     * nested type of the same name, unused) still tells a reader that one package reaches into another.
     */
    @Test
    void noImportLineNamesAPackageNotUsed() throws IOException {
        Path root = Path.of("src/main/java/io/invoiceharvester");
        Pattern imported = Pattern.compile("^import (?:static )?io\\.invoiceharvester\\.([a-z.]+)\\.[A-Z]");
        List<String> unnamed = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.getNameCount() > root.getNameCount() + 1).toList()) {
                String own = root.relativize(f.getParent()).toString().replace('/', '.');
                for (String line : Files.readAllLines(f)) {
                    Matcher m = imported.matcher(line);
                    if (m.find() && !m.group(1).equals(own) && !USES.get(own).contains(m.group(1))) {
                        unnamed.add(root.relativize(f) + ": " + line);
                    }
                }
            }
        }
        assertEquals(List.of(), unnamed, "imports of a package its own does not name in USES");
    }

    /**
     * Beans take plain arguments: the route that calls one names what it passes ("exportMonth(${body})"), one way
     * everywhere, so no class depends on Camel's parameter binding annotations.
     */
    @Test
    void beansTakePlainArguments() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.invoiceharvester");
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName(ExchangeProperty.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(Body.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(Header.class.getName())
                .because("every route names the arguments it passes; docs/routes.md, \"Calling a bean\"").check(classes);
    }

    @Test
    void everyPackageHasItsPlace() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.invoiceharvester");
        String[] known = USES.keySet().stream().map(p -> "io.invoiceharvester." + p).toArray(String[]::new);
        classes().that().resideOutsideOfPackage("io.invoiceharvester")
                .should().resideInAnyPackage(known).because("a new package takes its place in USES").check(classes);
    }
}
