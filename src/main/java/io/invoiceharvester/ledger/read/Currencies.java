package io.invoiceharvester.ledger.read;

import io.invoiceharvester.model.InvalidContentException;
import java.util.Currency;

/** ISO 4217 codes: an unknown currency makes the file invalid, never a guess. */
final class Currencies {

    private Currencies() {
    }

    /** @param where the field, for the error (e.g. "row 5, column ITEM_CURRENCY") */
    static String iso(String code, String where) {
        try {
            return Currency.getInstance(code == null ? "" : code.trim()).getCurrencyCode();
        } catch (IllegalArgumentException e) {
            String shown = code == null ? "" : code.length() > 40 ? code.substring(0, 37) + "..." : code;
            throw new InvalidContentException(where + ": '" + shown + "' is not an ISO 4217 currency");
        }
    }
}
