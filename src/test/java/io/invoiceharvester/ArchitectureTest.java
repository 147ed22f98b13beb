package io.invoiceharvester;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.junit.jupiter.api.Test;

/**
 * Data at the bottom, orchestration at the top: every package imports only packages below it in this
 * order, so a change flows one way (docs/code.md, "Where things are").
 */
class ArchitectureTest {

    /** Bottom first. */
    static final List<String> LAYERS = List.of("model", "http", "edgegrid", "state", "delivery", "ledger", "akamai", "fastly",
            "summary", "config", "ops", "run", "beans", "sandbox", "cli");

    @Test
    void everyPackageImportsOnlyPackagesBelowIt() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.invoiceharvester");
        for (int i = 0; i < LAYERS.size(); i++) {
            String[] above = LAYERS.subList(i + 1, LAYERS.size()).stream().map(p -> "io.invoiceharvester." + p + "..")
                    .toArray(String[]::new);
            if (above.length > 0) {
                noClasses().that().resideInAPackage("io.invoiceharvester." + LAYERS.get(i) + "..")
                        .should().dependOnClassesThat().resideInAnyPackage(above)
                        .because(LAYERS.get(i) + " sits below " + String.join(", ", LAYERS.subList(i + 1, LAYERS.size())))
                        .check(classes);
            }
        }
    }

    /**
     * The same order on the sources' import lines: an import the compiler leaves out of the bytecode (shadowed by a
     * nested type of the same name, unused) still tells a reader that one package reaches up into another.
     */
    @Test
    void noImportLineRunsBackUp() throws IOException {
        Path root = Path.of("src/main/java/io/invoiceharvester");
        Pattern imported = Pattern.compile("^import (?:static )?io\\.invoiceharvester\\.(\\w+)\\.");
        List<String> upward = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.getNameCount() > root.getNameCount() + 1).toList()) {
                int layer = LAYERS.indexOf(root.relativize(f).getName(0).toString());
                for (String line : Files.readAllLines(f)) {
                    Matcher m = imported.matcher(line);
                    if (m.find() && LAYERS.indexOf(m.group(1)) > layer) {
                        upward.add(root.relativize(f) + ": " + line);
                    }
                }
            }
        }
        assertEquals(List.of(), upward, "imports of a package above (LAYERS)");
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
        String[] known = LAYERS.stream().map(p -> "io.invoiceharvester." + p + "..").toArray(String[]::new);
        classes().that().resideOutsideOfPackage("io.invoiceharvester")
                .should().resideInAnyPackage(known).because("a new package takes its place in LAYERS").check(classes);
    }
}
