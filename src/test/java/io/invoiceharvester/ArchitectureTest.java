package io.invoiceharvester;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
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
