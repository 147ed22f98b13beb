package io.invoiceharvester.model;

import java.time.YearMonth;
import java.util.List;

/** What one harvest covers: billing months and providers. */
public record RunRequest(String trigger, List<YearMonth> months, List<String> providers) {
}
