package io.invoiceharvester.beans;

import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.config.MailSettings;
import io.invoiceharvester.http.SmtpSockets;
import io.invoiceharvester.ledger.export.LedgerExport;
import io.invoiceharvester.ledger.table.LedgerFigures;
import io.invoiceharvester.state.FailureReport;
import io.invoiceharvester.state.SummaryRecords;
import io.invoiceharvester.state.WaitingFiles;
import io.invoiceharvester.summary.Outbox;
import io.invoiceharvester.summary.SummaryMail;
import java.util.Properties;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.component.mail.MailComponent;
import org.apache.camel.component.mail.MailConfiguration;

/** The run's summary mail: composed, queued in the outbox, sent by SMTP. */
public class SummaryBeans implements CamelConfiguration {

    /** Mails waiting to be sent, under outbox/: a summary is written here before it is sent. */
    @BindToRegistry
    public Outbox outbox(HarvesterSettings settings, FailureReport failures) {
        return new Outbox(settings.output(), failures);
    }

    /** The run's summary (harvester.mail.when), with the changed months' ledger attached. */
    @BindToRegistry
    public SummaryMail summaryMail(LedgerFigures figures, LedgerExport exports, SummaryRecords records, WaitingFiles waiting,
                                   Outbox outbox, HarvesterSettings settings) {
        return new SummaryMail(figures, exports, records, waiting, outbox, settings.mail().when(), settings.mail().from(),
                settings.mail().to(), settings.mail().maxBytes());
    }

    /** The smtp: component, its credentials set here so that no secret appears in an endpoint URI. */
    @BindToRegistry
    public MailComponent smtp(HarvesterSettings settings, SmtpSockets sockets) {
        MailSettings mail = settings.mail();
        MailConfiguration conf = new MailConfiguration();
        if (!mail.smtpUsername().isEmpty()) {
            conf.setUsername(mail.smtpUsername());
            conf.setPassword(mail.smtpPassword());
        }
        // the provider calls' timeouts bound the SMTP server's answers too
        conf.setConnectionTimeout((int) settings.http().connectTimeout().toMillis());
        Properties javaMail = new Properties();
        javaMail.setProperty("mail.smtp.starttls.enable", Boolean.toString(mail.starttls()));
        javaMail.setProperty("mail.smtp.starttls.required", Boolean.toString(mail.starttls()));
        javaMail.setProperty("mail.smtp.timeout", Long.toString(settings.http().readTimeout().toMillis()));
        javaMail.setProperty("mail.smtp.writetimeout", Long.toString(settings.http().readTimeout().toMillis()));
        // each send as a whole within harvester.mail.send-timeout, and cut by the run's deadline or a stop
        javaMail.put("mail.smtp.socketFactory", sockets);
        javaMail.setProperty("mail.smtp.socketFactory.fallback", "false");
        conf.setAdditionalJavaMailProperties(javaMail);
        MailComponent component = new MailComponent();
        component.setConfiguration(conf);
        return component;
    }
}
