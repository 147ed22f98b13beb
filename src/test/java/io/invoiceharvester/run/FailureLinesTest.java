package io.invoiceharvester.run;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.RunState;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How a failing item reads in the log: once, in words, each retry said when it happens; no Java class names. */
class FailureLinesTest extends HarvestTestSupport {

    final StringWriter log = new StringWriter();

    @BeforeEach
    void captureTheLog() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        WriterAppender appender = WriterAppender.newBuilder().setName("failure-lines").setTarget(log).setConfiguration(config).build();
        appender.start();
        config.getRootLogger().addAppender(appender, Level.INFO, null);
        ctx.updateLoggers();
    }

    @AfterEach
    void stopCapturing() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender("failure-lines");
        ctx.updateLoggers();
    }

    private List<String> lines(String containing) {
        return log.toString().lines().filter(l -> l.contains(containing)).toList();
    }

    @Test
    void aFailingFileIsLoggedOnceAndEachRetryInWords() throws Exception {
        h.set("harvester.retry.max-attempts", "2");
        h.stubAkamaiFixtures("2021-01", "%PDF-1.4\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        h.api.stubFor(get(urlPathEqualTo(TestHarvest.INVOICE_LINK)).withQueryParam("sourceType", equalTo("REGULAR"))
                .withHeader("Accept", equalTo("application/pdf")).willReturn(aResponse().withStatus(503)));

        RunState run = h.run("2021-01");

        assertEquals(1, run.getFailureCount(), run.getFailures().toString());
        assertEquals(1, lines("failed: akamai invoice 1234567890").size(), log.toString());
        assertEquals(1, lines("trying again (2 of 2): akamai invoice 1234567890").size(), log.toString());
        assertTrue(lines("DefaultErrorHandler").isEmpty(), "no raw error handler line: " + lines("DefaultErrorHandler"));
    }

    @Test
    void aNetworkFailureIsSaidInWordsNotAsAJavaClass() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        h.set("harvester.akamai.base-url", "http://127.0.0.1:" + closed).set("harvester.retry.max-attempts", "1");

        RunState run = h.run("2021-01");

        String message = run.getFailures().get(0).message();
        assertTrue(message.startsWith("the connection was refused"), message);
        assertFalse(message.contains("Exception"), message);
        assertEquals(1, lines("failed: akamai 2021-01").size(), log.toString());
    }
}
