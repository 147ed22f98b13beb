package io.invoiceharvester.run;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RedeliveryPolicyDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.support.CamelContextHelper;

/** The waits between a request's attempts, without the error handler's jitter. */
record Backoff(long initialDelayMillis, double multiplier, long maxDelayMillis) {

    /** The route configuration and handler whose redelivery policy retries a failed request. */
    static final String ROUTE_CONFIGURATION = "harvester-error-handling";
    static final String HANDLER = "report-failure";

    /** The redelivery policy of the report-failure handler in routes/error-handling.camel.yaml, placeholders resolved. */
    static Backoff of(CamelContext context) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        RedeliveryPolicyDefinition policy = model.getRouteConfigurationDefinitions().stream()
                .filter(c -> ROUTE_CONFIGURATION.equals(c.getId()))
                .map(RouteConfigurationDefinition::getOnExceptions).flatMap(java.util.List::stream)
                .filter(o -> HANDLER.equals(o.getId())).map(OnExceptionDefinition::getRedeliveryPolicyType)
                .findFirst().orElseThrow(() -> new IllegalStateException("the routes have no onException '" + HANDLER
                        + "' with a redeliveryPolicy in routeConfiguration '" + ROUTE_CONFIGURATION + "'"));
        RedeliveryPolicy defaults = new RedeliveryPolicy();
        long initial = policy.getRedeliveryDelay() == null ? defaults.getRedeliveryDelay()
                : CamelContextHelper.parseLong(context, policy.getRedeliveryDelay());
        boolean exponential = policy.getUseExponentialBackOff() != null
                && CamelContextHelper.parseBoolean(context, policy.getUseExponentialBackOff());
        double multiplier = !exponential ? 1 : policy.getBackOffMultiplier() == null ? defaults.getBackOffMultiplier()
                : CamelContextHelper.parseDouble(context, policy.getBackOffMultiplier());
        long max = policy.getMaximumRedeliveryDelay() == null ? defaults.getMaximumRedeliveryDelay()
                : CamelContextHelper.parseLong(context, policy.getMaximumRedeliveryDelay());
        return new Backoff(initial, multiplier, max);
    }

    /** The waits up to and including the one before this retry (1: before the second attempt). */
    long waitedBefore(int retries) {
        long total = 0;
        double delay = initialDelayMillis;
        for (int i = 0; i < retries; i++) {
            total += (long) delay;
            delay = Math.min(delay * multiplier, maxDelayMillis);
        }
        return total;
    }
}
