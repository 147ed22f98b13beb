package io.invoiceharvester.beans;

import io.invoiceharvester.config.HarvesterSettings;
import io.invoiceharvester.delivery.Archive;
import io.invoiceharvester.delivery.ContentValidator;
import io.invoiceharvester.delivery.Downloads;
import io.invoiceharvester.delivery.Leftovers;
import io.invoiceharvester.delivery.ListedFileContent;
import io.invoiceharvester.delivery.Quarantine;
import io.invoiceharvester.delivery.SftpPassword;
import io.invoiceharvester.delivery.UnavailableFiles;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.state.FailureReport;
import io.invoiceharvester.state.QuarantineLog;
import io.invoiceharvester.state.WaitingFiles;
import java.io.InputStream;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** A file's way from the response to the archive and the drop, and what is set apart on the way. */
public class DeliveryBeans implements CamelConfiguration {

    /** A response body streamed to a temporary file, capped at harvester.download.max-bytes. */
    @BindToRegistry
    public Downloads downloads(HarvesterSettings settings) {
        return new Downloads(settings.output(), settings.http().maxDownloadBytes());
    }

    /** A file is what its content type says (a PDF is a PDF, a CSV has its header, JSON parses). */
    @BindToRegistry
    public ContentValidator contentValidator() {
        return new ContentValidator();
    }

    /** The byte-exact copy of every stored file, under archive/. */
    @BindToRegistry
    public Archive archive(HarvesterSettings settings) {
        return new Archive(settings.output());
    }

    /** Files that failed validation, kept under quarantine/ and recorded. */
    @BindToRegistry
    public Quarantine quarantine(HarvesterSettings settings, QuarantineLog log) {
        return new Quarantine(settings.output(), log);
    }

    /** Listed files the provider does not serve (204; 400/404 where the reference says none exists): recorded, not quarantined. */
    @BindToRegistry
    public UnavailableFiles unavailableFiles(WaitingFiles waiting, FailureReport failureReport) {
        return new UnavailableFiles(waiting, failureReport);
    }

    /** What an interrupted run left half-written, in the output folder and a local drop. */
    @BindToRegistry
    public Leftovers leftovers(HarvesterSettings settings) {
        return new Leftovers(settings.output(), settings.drop().localFolder());
    }

    /**
     * An SFTP drop's password is set on its endpoint here, never in the URI the management port shows; a route may
     * send a listed file to an endpoint of its own: its content is the stream Camel asks for.
     */
    @Override
    public void configure(CamelContext context) {
        context.getTypeConverterRegistry().addTypeConverter(InputStream.class, ListedFile.class, new ListedFileContent());
        HarvesterSettings settings = context.getRegistry().findSingleByType(HarvesterSettings.class);
        if (settings.drop().sftp()) {
            context.getCamelContextExtension().registerEndpointCallback(new SftpPassword(settings.drop().sftpPassword()));
        }
    }
}
