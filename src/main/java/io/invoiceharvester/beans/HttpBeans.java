package io.invoiceharvester.beans;

import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.http.Cutoffs;
import io.invoiceharvester.http.ProviderConnections;
import io.invoiceharvester.http.RequestSlots;
import io.invoiceharvester.http.SmtpSockets;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;

/** What every provider call shares: the cap on requests in flight and their deadlines, and the connections. */
public class HttpBeans implements CamelConfiguration {

    /** harvester.concurrency provider requests in flight, whichever provider and step sends them. */
    /** The outside parties besides the providers (SMTP, the ledger bucket): the run's deadline and a stop cut their calls. */
    @BindToRegistry
    public Cutoffs cutoffs() {
        return new Cutoffs();
    }

    /** The summary mail's SMTP connections: each send bounded as a whole, and cut by the run's deadline or a stop. */
    @BindToRegistry(destroyMethod = "close")
    public SmtpSockets smtpSockets(HarvesterSettings settings, Cutoffs cutoffs) {
        SmtpSockets sockets = new SmtpSockets(settings.mail().sendTimeout());
        cutoffs.register(sockets);
        return sockets;
    }

    @BindToRegistry(destroyMethod = "close")
    public RequestSlots requestSlots(HarvesterSettings settings) {
        return new RequestSlots(settings.run().concurrency(), settings.http().requestDeadline());
    }

    /**
     * The connections of every provider call: harvester.http.truststore, the timeouts, bounds on a
     * response's head, pooled connections checked after a pause (ProviderConnections).
     */
    @BindToRegistry(destroyMethod = "close")
    public HttpClientConnectionManager providerConnections(HarvesterSettings settings) {
        return ProviderConnections.create(settings.http().outbound(), settings.run().concurrency(), settings.http().connectTimeout(),
                settings.http().readTimeout());
    }
}
