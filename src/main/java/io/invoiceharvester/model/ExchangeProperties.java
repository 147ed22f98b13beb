package io.invoiceharvester.model;

/**
 * The exchange properties the routes and the beans they call share: the contract between the YAML and the
 * Java, named once. docs/routes.md, "What a route can read", says who sets each.
 */
public final class ExchangeProperties {

    /** The run ({@link RunState}): set once by harvest.camel.yaml when the run begins. */
    public static final String RUN = "harvesterRun";
    /** The item a route works on (a {@link Listing}, a {@link ListedFile}): set by the RunItem step of each split. */
    public static final String ITEM = "harvesterItem";
    /**
     * The item failed (true): set by the error handler as it reports the failure (routes/error-handling.camel.yaml),
     * since a handled failure looks like a success to the split around it.
     */
    public static final String ITEM_FAILED = "harvesterItemFailed";
    /** How many of a split's items failed (ITEM_FAILED): set by its aggregation strategy (run.KeepRunExchange). */
    public static final String ITEMS_FAILED = "harvesterItemsFailed";
    /** The archived CSV on its way into the ledger (ledger.CsvLedger.Ingest): set by ledger-csv's first step. */
    public static final String CSV_FILE = "harvesterCsvFile";
    /** The provider call a route is about to make (http.ProviderRequest): set before provider-get.camel.yaml. */
    public static final String REQUEST = "harvesterRequest";
    /** The cursor of a Fastly listing (fastly.FastlyPages): set by fastly-list.camel.yaml. */
    public static final String FASTLY_PAGES = "harvesterFastlyPages";
    /** How long a provider asked the run to wait (429/503), in milliseconds: set by RateLimitWait, read by Retries. */
    public static final String RATE_LIMITED_MILLIS = "harvesterRateLimitedMillis";

    private ExchangeProperties() {
    }
}
