package io.invoiceharvester.beans;

import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.ledger.LedgerExport;
import io.invoiceharvester.ledger.LedgerFigures;
import io.invoiceharvester.state.FailureReport;
import io.invoiceharvester.state.SummaryRecords;
import io.invoiceharvester.state.WaitingFiles;
import io.invoiceharvester.summary.Outbox;
import io.invoiceharvester.summary.SummaryMail;
import java.util.Properties;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.PropertyInject;
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
                                   Outbox outbox, HarvesterSettings settings, @PropertyInject("harvester.mail.from") String from) {
        return new SummaryMail(figures, exports, records, waiting, outbox, settings.mailWhen(), from, settings.mailTo(),
                settings.mailMaxBytes());
    }

    /** The smtp: component, its credentials set here so that no secret appears in an endpoint URI. */
    @BindToRegistry
    public MailComponent smtp(HarvesterSettings settings,
                              @PropertyInject(value = "harvester.mail.smtp-username", defaultValue = "") String username,
                              @PropertyInject("harvester.http.connect-timeout") int connectTimeout,
                              @PropertyInject("harvester.http.read-timeout") String readTimeout) {
        MailConfiguration conf = new MailConfiguration();
        if (!username.isEmpty()) {
            conf.setUsername(username);
            conf.setPassword(settings.smtpPassword());
        }
        conf.setConnectionTimeout(connectTimeout);
        Properties javaMail = new Properties();
        javaMail.setProperty("mail.smtp.starttls.enable", Boolean.toString(settings.starttls()));
        javaMail.setProperty("mail.smtp.starttls.required", Boolean.toString(settings.starttls()));
        javaMail.setProperty("mail.smtp.timeout", readTimeout);
        conf.setAdditionalJavaMailProperties(javaMail);
        MailComponent component = new MailComponent();
        component.setConfiguration(conf);
        return component;
    }
}
