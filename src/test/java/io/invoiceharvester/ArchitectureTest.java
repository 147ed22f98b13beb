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
     * The database and ledger classes take plain arguments: a route that calls one names what it passes
     * ("exportPending(${exchangeProperty.harvesterRun})"), so they do not depend on Camel's bean binding.
     */
    @Test
    void stateAndLedgerTakePlainArguments() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.invoiceharvester");
        noClasses().that().resideInAnyPackage("io.invoiceharvester.state..", "io.invoiceharvester.ledger..")
                .should().dependOnClassesThat().haveFullyQualifiedName(ExchangeProperty.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(Body.class.getName())
                .orShould().dependOnClassesThat().haveFullyQualifiedName(Header.class.getName())
                .because("the routes pass their arguments; README \"Editing the routes\"").check(classes);
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
