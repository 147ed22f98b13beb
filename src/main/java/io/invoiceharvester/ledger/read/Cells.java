package io.invoiceharvester.ledger.read;

import io.invoiceharvester.model.InvalidContentException;

/**
 * A provider's text on its way into the state database: a NUL character is refused where it is read (as
 * invalid content, with its place), since PostgreSQL refuses it in text, and would refuse the file's
 * whole ingestion run after run.
 */
final class Cells {

    private Cells() {
    }

    /** @param where the cell or field, for the error ("row 5, column ITEM_DESC") */
    static String text(String value, String where) {
        if (value != null && value.indexOf('\u0000') >= 0) {
            throw new InvalidContentException(where + ": contains a NUL character");
        }
        return value;
    }
}
