package io.invoiceharvester.delivery;

import org.apache.camel.Endpoint;
import org.apache.camel.component.file.remote.SftpEndpoint;
import org.apache.camel.spi.EndpointStrategy;

/**
 * Gives the SFTP drop its password as Camel registers the endpoint, so the password is in no URI and
 * no property, where JMX, logs and consoles could show it.
 */
public class SftpPassword implements EndpointStrategy {

    private final String password;

    public SftpPassword(String password) {
        this.password = password;
    }

    @Override
    public Endpoint registerEndpoint(String uri, Endpoint endpoint) {
        if (endpoint instanceof SftpEndpoint sftp) {
            sftp.getConfiguration().setPassword(password);
        }
        return endpoint;
    }

    @Override
    public String toString() {
        return "SftpPassword[(hidden)]";
    }
}
