package io.invoiceharvester.ledger;

import io.invoiceharvester.model.RunState;
import io.invoiceharvester.state.FailureReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Publishes the exported months to the bucket harvester.ledger.publish-uri names, through Camel's AWS S3
 * component: per month one object per format under billing_period=YYYY-MM, each a single PUT, with the
 * FOCUS metadata beside them. A month is recorded as published only after all its objects are stored;
 * one that fails is reported and published again by the next run, like a pending drop.
 */
public class LedgerPublish {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerPublish.class);
    static final String CLIENT_BEAN = "ledgerPublishS3Client";

    private final DataSource dataSource;
    private final Path ledgerDir;
    private final List<LedgerFile.Format> formats;
    private final PublishTarget target;
    private final Supplier<S3Client> client;
    private final CamelContext camel;
    private final FailureReport failures;
    private ProducerTemplate producer;

    /** target: null when nothing is published. */
    public LedgerPublish(DataSource dataSource, Path outputDir, List<String> formats, PublishTarget target,
                         Supplier<S3Client> client, CamelContext camel, FailureReport failures) {
        this.dataSource = dataSource;
        this.ledgerDir = outputDir.resolve("ledger");
        this.formats = formats.stream().map(LedgerFile.Format::parse).distinct().toList();
        this.target = target;
        this.client = client;
        this.camel = camel;
        this.failures = failures;
    }

    /** The run's step: every exported month the bucket does not hold yet; returns the months published. */
    public List<YearMonth> publishPending(RunState run) throws SQLException {
        List<YearMonth> done = new ArrayList<>();
        if (target == null) {
            return done;
        }
        List<YearMonth> due = pending();
        if (due.isEmpty()) {
            return done;
        }
        FocusMetadata metadata = FocusMetadata.of(dataSource);
        try {
            put(metadata.publish(ledgerDir), target.metadataKey(), "application/json", metadata.schemaId());
        } catch (Exception e) {
            failures.record(run, RunState.FailureKind.OTHER, "ledger publish", "FOCUS metadata not published to " + target
                    + " (" + e.getMessage() + "); the next run publishes " + due.size() + " waiting months again");
            return done;
        }
        for (YearMonth month : due) {
            try {
                for (LedgerFile.Format f : formats) {
                    Path file = ledgerDir.resolve(month + "." + f.extension());
                    if (!Files.isRegularFile(file)) {
                        throw new IOException(file + " is missing (`ledger rebuild --month " + month + "` writes it again)");
                    }
                    put(file, target.key(month, f.extension()), contentType(f), metadata.schemaId());
                }
                markPublished(month);
                done.add(month);
            } catch (Exception e) {
                failures.record(run, RunState.FailureKind.OTHER, "ledger publish " + month,
                        "not published to " + target + " (" + e.getMessage() + "); the next run publishes it again");
            }
        }
        if (!done.isEmpty()) {
            LOG.info("ledger: {} published to {}", done, target);
        }
        return done;
    }

    /** Exported months (no export pending) without a record of being published to this target, oldest first. */
    public List<YearMonth> pending() throws SQLException {
        return target == null ? List.of() : pending(dataSource, target.name());
    }

    /** The same, for a reader that has only the target's name (status). */
    public static List<YearMonth> pending(DataSource dataSource, String targetName) throws SQLException {
        List<YearMonth> months = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT i.billing_month FROM ledger_invoice i WHERE NOT EXISTS (SELECT 1 FROM ledger_export_pending e"
                        + " WHERE e.billing_month = i.billing_month) AND NOT EXISTS (SELECT 1 FROM ledger_published p"
                        + " WHERE p.target = ? AND p.billing_month = i.billing_month) ORDER BY i.billing_month")) {
            ps.setString(1, targetName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    months.add(YearMonth.parse(rs.getString(1)));
                }
            }
        }
        return months;
    }

    private static String contentType(LedgerFile.Format f) {
        return f == LedgerFile.Format.CSV ? "text/csv; charset=utf-8" : "application/vnd.apache.parquet";
    }

    /** One PUT through the component; the object names its FOCUS schema in its user metadata. */
    private void put(Path file, String key, String contentType, String schemaId) throws Exception {
        Exchange sent = producer().send(target.endpointUri(CLIENT_BEAN), e -> {
            e.getIn().setBody(file.toFile());
            e.getIn().setHeader(AWS2S3Constants.KEY, key);
            e.getIn().setHeader(AWS2S3Constants.CONTENT_TYPE, contentType);
            e.getIn().setHeader(AWS2S3Constants.CONTENT_LENGTH, Files.size(file));
            e.getIn().setHeader(AWS2S3Constants.METADATA, Map.of("focus-schema-id", schemaId,
                    "focus-version", FocusMetadata.FOCUS_VERSION));
        });
        if (sent.getException() != null) {
            throw sent.getException();
        }
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            camel.getRegistry().bind(CLIENT_BEAN, S3Client.class, client.get());
            producer = camel.createProducerTemplate();
        }
        return producer;
    }

    private void markPublished(YearMonth month) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ledger_published (target, billing_month, published_at) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
            ps.setString(1, target.name());
            ps.setString(2, month.toString());
            ps.executeUpdate();
        }
    }
}
