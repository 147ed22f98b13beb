package io.invoiceharvester.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.cli.HarvesterCommand;
import io.invoiceharvester.model.RunState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * harvester.http.proxy and harvester.http.truststore on every provider call: a real forward proxy
 * (WireMock proxying browser-style) and a real TLS server whose certificate only the extra store trusts;
 * no redirect is followed, and credentials go over no other scheme than the configured one.
 */
class OutboundTest extends HarvestTestSupport {

    static final byte[] PDF = "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);

    private int cli(StringWriter out, String... args) {
        return HarvesterCommand.execute(new PrintWriter(out, true), new PrintWriter(out, true), args);
    }

    @Test
    void everyProviderCallGoesThroughTheConfiguredProxy() throws Exception {
        WireMockServer proxy = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .enableBrowserProxying(true));
        proxy.start();
        try {
            h.stubAkamaiFixtures("2021-01", PDF);
            // check's probe lists the current month
            h.api.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).atPriority(10).willReturn(aResponse().withStatus(204)));
            h.set("harvester.http.proxy", "http://127.0.0.1:" + proxy.port());

            RunState report = h.run("2021-01");
            StringWriter check = new StringWriter();
            int checked = cli(check, "check", "--config", h.configFile().toString());

            assertEquals(0, report.exitCode(), report.getFailures().toString());
            assertEquals(0, checked, "check: " + check.toString().replace('\n', '|'));
            long proxied = proxy.getAllServeEvents().size();
            assertEquals(h.requests().size(), proxied, "every request the API got came through the proxy");
            assertTrue(proxied >= 5, "the list, the downloads and check's probe: " + proxied);
        } finally {
            proxy.stop();
        }
    }

    @Test
    void aPrivateCaIsTrustedFromTheExtraTrustStoreAndOnlyFromIt() throws Exception {
        Path truststore = dir.resolve("trust.p12");
        WireMockServer tls = httpsApi("server", "127.0.0.1", "ip:127.0.0.1", truststore);
        try {
            tls.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).willReturn(aResponse().withStatus(204)));
            h.set("harvester.akamai.base-url", "https://127.0.0.1:" + tls.httpsPort());

            // a refused certificate is no passing fault: not retried (a retry would wait 2 s), exit 3 like check's
            h.set("harvester.retry.initial-delay", "2000");
            long start = System.nanoTime();
            RunState untrusted = h.run("2021-01");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "not retried with backoff");
            assertEquals(3, untrusted.exitCode(), "the JVM's authorities do not know this certificate: " + untrusted.getFailures());
            assertEquals(1, untrusted.getFailureCount());
            assertTrue(untrusted.getFailures().get(0).message().contains("harvester.http.truststore"), untrusted.getFailures().toString());
            StringWriter refused = new StringWriter();
            assertEquals(3, cli(refused, "check", "--config", h.configFile().toString()), refused.toString());
            assertTrue(refused.toString().contains("harvester.http.truststore"), refused.toString());

            h.set("harvester.http.truststore", truststore.toString());
            Path password = dir.resolve("trust-password");
            java.nio.file.Files.writeString(password, "trust-pw\n");
            h.set("harvester.http.truststore-password-file", password.toString());
            RunState trusted = h.run("2021-01");
            StringWriter check = new StringWriter();
            int checked = cli(check, "check", "--config", h.configFile().toString());

            assertEquals(0, trusted.exitCode(), trusted.getFailures().toString());
            assertEquals(0, checked, check.toString());
        } finally {
            tls.stop();
        }
    }

    @Test
    void checkFollowsNoRedirectAndAPlainHttpApiElsewhereIsRefused() throws Exception {
        WireMockServer elsewhere = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        elsewhere.start();
        try {
            h.api.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).willReturn(aResponse().withStatus(302)
                    .withHeader("Location", "http://127.0.0.1:" + elsewhere.port() + "/steal")));
            StringWriter out = new StringWriter();
            cli(out, "check", "--config", h.configFile().toString());
            assertEquals(0, elsewhere.getAllServeEvents().size(), "the redirect was not followed: " + out);

            h.set("harvester.akamai.base-url", "http://akamai.example.com");
            StringWriter refused = new StringWriter();
            assertEquals(2, cli(refused, "check", "--config", h.configFile().toString()));
            assertTrue(refused.toString().contains("credentials would travel in clear"), refused.toString());
        } finally {
            elsewhere.stop();
        }
    }

    @Test
    void credentialsAreBoundToTheApisSchemeAsWellAsItsHostAndPort() {
        HostBoundInterceptor guard = new HostBoundInterceptor("https://api.example.com:443") {
            @Override
            protected void authorize(org.apache.hc.core5.http.HttpRequest request) {
                request.setHeader("Authorization", "secret");
            }
        };
        org.apache.hc.core5.http.message.BasicHttpRequest downgraded =
                new org.apache.hc.core5.http.message.BasicHttpRequest("GET", java.net.URI.create("http://api.example.com:443/x"));
        org.junit.jupiter.api.Assertions.assertThrows(HostBoundInterceptor.ForeignHostException.class,
                () -> guard.process(downgraded, null, null));
        assertEquals(null, downgraded.getFirstHeader("Authorization"));
        org.apache.hc.core5.http.message.BasicHttpRequest same =
                new org.apache.hc.core5.http.message.BasicHttpRequest("GET", java.net.URI.create("https://api.example.com:443/x"));
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> guard.process(same, null, null));
    }

    /**
     * An HTTPS stand-in for the API, started, whose certificate names the host (CN and subjectAltName, e.g.
     * "ip:127.0.0.1"); the certificate is imported into the trust store (password trust-pw).
     */
    private WireMockServer httpsApi(String name, String host, String subjectAltName, Path truststore) throws Exception {
        Path keystore = dir.resolve(name + ".p12");
        Path cert = dir.resolve(name + ".crt");
        keytool("-genkeypair", "-keyalg", "RSA", "-keysize", "2048", "-alias", "api", "-dname", "CN=" + host,
                "-ext", "SAN=" + subjectAltName, "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-alias", "api", "-keystore", keystore.toString(), "-storepass", "changeit", "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "api", "-file", cert.toString(), "-keystore", truststore.toString(),
                "-storetype", "PKCS12", "-storepass", "trust-pw");
        WireMockServer tls = new WireMockServer(WireMockConfiguration.options().httpDisabled(true).dynamicHttpsPort()
                .bindAddress("127.0.0.1").keystorePath(keystore.toString()).keystorePassword("changeit").keyManagerPassword("changeit")
                .keystoreType("PKCS12"));
        tls.start();
        return tls;
    }

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, output);
    }

    @Test
    void aCertificateForAnotherNameIsRefusedOnceNamingTheTrustStore() throws Exception {
        Path truststore = dir.resolve("wrong-trust.p12");
        WireMockServer tls = httpsApi("wrong", "api.wrong.example", "dns:api.wrong.example", truststore);
        try {
            tls.stubFor(get(urlPathEqualTo("/invoicing-api/v4/invoices")).willReturn(aResponse().withStatus(204)));
            Path password = Files.writeString(dir.resolve("wrong-trust-password"), "trust-pw\n");
            h.set("harvester.akamai.base-url", "https://127.0.0.1:" + tls.httpsPort()).set("harvester.http.truststore", truststore.toString())
                    .set("harvester.http.truststore-password-file", password.toString()).set("harvester.retry.initial-delay", "2000");

            long start = System.nanoTime();
            RunState run = h.run("2021-01");

            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "not retried with backoff");
            assertEquals(3, run.exitCode(), run.getFailures().toString());
            assertTrue(run.getFailures().get(0).message().contains("harvester.http.truststore"), run.getFailures().toString());
            assertEquals(0, tls.getAllServeEvents().size(), "nothing was sent to it");
        } finally {
            tls.stop();
        }
    }
}
