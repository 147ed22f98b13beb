package io.invoiceharvester.beans;

import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.http.RequestSlots;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.support.jsse.SSLContextParameters;

/** What every provider call shares: the cap on requests in flight, and the extra trust store. */
public class HttpBeans implements CamelConfiguration {

    /** harvester.concurrency provider requests in flight, whichever provider and step sends them. */
    @BindToRegistry
    public RequestSlots requestSlots(HarvesterSettings settings) {
        return new RequestSlots(settings.concurrency());
    }

    /**
     * harvester.http.truststore, if set; camel.component.http(s).ssl-context-parameters name it (the
     * harvester sets those properties only when it is bound).
     */
    @BindToRegistry
    public SSLContextParameters outboundTrust(HarvesterSettings settings) {
        return settings.outbound().sslContextParameters();
    }
}
