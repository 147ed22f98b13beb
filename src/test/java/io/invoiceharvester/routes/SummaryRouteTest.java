package io.invoiceharvester.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.model.ExchangeProperties;
import io.invoiceharvester.model.RunState;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.util.List;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/** routes/summary.camel.yaml: the run's summary is written to the outbox, then sent by SMTP, and leaves the outbox. */
class SummaryRouteTest extends RouteFileTest {

    private GreenMail smtp;

    @Override
    protected List<String> routeFiles() {
        return List.of("summary.camel.yaml");
    }

    @Override
    protected void settings(TestHarvest harvest) {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        harvest.set("harvester.mail.smtp-host", "127.0.0.1").set("harvester.mail.smtp-port", Integer.toString(smtp.getSmtp().getPort()))
                .set("harvester.mail.smtp-starttls", "false").set("harvester.mail.to", "finance@example.com")
                .set("harvester.mail.from", "harvester@example.com").set("harvester.mail.when", "always");
    }

    @Override
    protected void doPostTearDown() throws Exception {
        super.doPostTearDown();
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void theSummaryGoesThroughTheOutboxToTheMailServer() throws Exception {
        RunState run = run("2025-01");

        Exchange done = template.send("direct:run-summary", e -> e.setProperty(ExchangeProperties.RUN, run));

        assertNull(done.getException());
        MimeMessage[] received = smtp.getReceivedMessages();
        assertEquals(1, received.length);
        assertEquals("finance@example.com", received[0].getAllRecipients()[0].toString());
        assertTrue(received[0].getSubject().startsWith("[invoice-harvester] 2025-01: 0 new files"), received[0].getSubject());
        try (var queued = Files.list(Files.createDirectories(harvest().out().resolve("outbox")))) {
            assertEquals(0, queued.filter(f -> f.toString().endsWith(".eml")).count(), "nothing left queued");
        }
    }

    /**
     * A run that lost its run lock queues no summary and sends no mail (two senders must never mail one summary twice):
     * the lock's new holder reports what was done.
     */
    @Test
    void aRunThatLostTheRunLockQueuesAndSendsNothing() throws Exception {
        RunState lost = run("2025-01");
        lost.markLockLost();

        template.send("direct:run-summary", e -> e.setProperty(ExchangeProperties.RUN, lost));

        assertEquals(0, smtp.getReceivedMessages().length);
        try (var queued = Files.list(Files.createDirectories(harvest().out().resolve("outbox")))) {
            assertEquals(0, queued.filter(f -> f.toString().endsWith(".eml")).count(), "nothing queued");
        }
        RunState holder = run("2025-02");
        template.send("direct:run-summary", e -> e.setProperty(ExchangeProperties.RUN, holder));
        assertEquals(1, smtp.getReceivedMessages().length, "the holder's summary goes out");
    }
}
