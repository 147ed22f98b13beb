package io.invoiceharvester.ledger.read;

import io.invoiceharvester.delivery.FileNames;
import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.model.ListedFile;

/**
 * A file's own statement of its invoice and account against the list entry it was fetched for: content
 * of another invoice is refused, never booked under the entry (a link's mix-up, or the provider's).
 */
final class ListEntryMatch {

    private ListEntryMatch() {
    }

    /** @param stated the file's value, or null/blank when it states none */
    static void invoice(String field, String stated, ListedFile entry) {
        if (stated != null && !stated.isBlank() && !stated.trim().equals(entry.getInvoiceId())) {
            throw refused(field, stated, "invoice " + entry.getInvoiceId());
        }
    }

    /** @param stated the file's value, or null/blank when it states none */
    static void account(String field, String stated, ListedFile entry) {
        if (stated != null && !stated.isBlank() && !FileNames.sanitize(stated.trim()).equals(entry.getAccountId())) {
            throw refused(field, stated, "account " + entry.getAccountId());
        }
    }

    private static InvalidContentException refused(String field, String stated, String entry) {
        String value = stated.trim().length() > 64 ? stated.trim().substring(0, 61) + "..." : stated.trim();
        return new InvalidContentException(field + " " + value + ", but its list entry is " + entry
                + ": refused, not booked under the entry");
    }
}
