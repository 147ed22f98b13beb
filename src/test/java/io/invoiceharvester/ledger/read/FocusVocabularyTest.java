package io.invoiceharvester.ledger.read;

import static io.invoiceharvester.ledger.export.FocusLedgerTest.UNIT;
import static io.invoiceharvester.ledger.export.FocusLedgerTest.allowedServices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The words the reading side gives a line (service category and subcategory, units) are FOCUS 1.2's. */
class FocusVocabularyTest {

    @Test
    void everyServiceTheCatalogGivesIsAFocusPair() throws Exception {
        Set<String> services = allowedServices();
        for (ServiceCatalog.Service s : ServiceCatalog.services()) {
            assertTrue(services.contains(s.category() + "," + s.subcategory()), s.toString());
        }
    }

    @Test
    void providerUnitsBecomeFocusUnits() {
        for (String raw : List.of("GB", "GB-month", "Hits (millions)", "hour", "Mbps", "Each", "Page Views (thousands)", "%")) {
            Units.Unit u = Units.of(raw);
            assertTrue(UNIT.matcher(u.pricingUnit()).matches(), raw + " -> " + u.pricingUnit());
            assertTrue(UNIT.matcher(u.consumedUnit()).matches(), raw + " -> " + u.consumedUnit());
        }
        assertEquals("1000000 Requests", Units.of("Hits (millions)").pricingUnit());
        assertEquals(0, new BigDecimal("310500000").compareTo(Units.of("Hits (millions)").consumed(new BigDecimal("310.5"))));
        assertEquals("GB-Months", Units.of("GB-month").pricingUnit());
    }
}
