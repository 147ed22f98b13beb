package io.invoiceharvester.ledger;

import io.invoiceharvester.model.LockLostException;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Publishes the exported months to the bucket harvester.ledger.publish-uri names, through Camel's AWS S3
 * component: per month one object per format under billing_period=YYYY-MM, each a single PUT, with the
 * FOCUS metadata beside them. A month is recorded as published only after all its objects are stored;
 * one that fails is reported and published again by the next run, like a pending drop. Once a run, the bucket is
 * read back (its prefix listed): a month whose objects vanished is published again. No PUT starts past the run's
 * deadline or once the service stops, and each is preceded by a check of the run lock.
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
    private final Runnable fence;
    private S3Client s3;
    private ProducerTemplate producer;

    /** target: null when nothing is published; fence: before each PUT, the run lock is still this process's. */
    public LedgerPublish(DataSource dataSource, Path outputDir, List<String> formats, PublishTarget target,
                         Supplier<S3Client> client, CamelContext camel, FailureReport failures, Runnable fence) {
        this.dataSource = dataSource;
        this.ledgerDir = outputDir.resolve("ledger");
        this.formats = formats.stream().map(LedgerFile.Format::parse).distinct().toList();
        this.target = target;
        this.client = client;
        this.camel = camel;
        this.failures = failures;
        this.fence = fence;
    }

    /** The run's step: every exported month the bucket does not hold yet; returns the months published. */
    public List<YearMonth> publishPending(RunState run) throws SQLException {
        List<YearMonth> done = new ArrayList<>();
        if (target == null) {
            return done;
        }
        try {
            readBack(run);
        } catch (SdkException e) {
            failures.record(run, RunState.FailureKind.OTHER, "ledger publish", "the bucket " + target + " could not be read back ("
                    + e.getMessage() + "); the next run publishes the " + pending().size() + " waiting months");
            return done;
        }
        List<YearMonth> due = pending();
        if (due.isEmpty()) {
            return done;
        }
        FocusMetadata metadata = FocusMetadata.of(dataSource);
        try {
            startable(run, due.size());
            put(metadata.publish(ledgerDir), target.metadataKey(), "application/json", metadata.schemaId());
        } catch (LockLostException e) {
            throw e;
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
                    startable(run, due.size() - done.size());
                    put(file, target.key(month, f.extension()), contentType(f), metadata.schemaId());
                }
                markPublished(month);
                done.add(month);
            } catch (LockLostException e) {
                throw e;
            } catch (PastDeadlineException e) {
                failures.record(run, RunState.FailureKind.OTHER, "ledger publish", e.getMessage());
                break;
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

    /** No PUT starts past the run's deadline or once the service stops; each is preceded by a check of the run lock. */
    private void startable(RunState run, int waiting) {
        if (run.isPastDeadline()) {
            throw new PastDeadlineException("not published to " + target + ": the run passed its deadline, or the service is"
                    + " stopping; the next run publishes the " + waiting + " waiting month" + (waiting == 1 ? "" : "s"));
        }
        fence.run();
    }

    private static final class PastDeadlineException extends RuntimeException {
        PastDeadlineException(String message) {
            super(message);
        }
    }

    /**
     * The bucket read back, once a run: a month recorded as published whose objects the prefix no longer lists is
     * published again. A listing the credentials may not make (s3:ListBucket) is said once, and publishing goes on.
     */
    private void readBack(RunState run) throws SQLException {
        Set<String> held = new HashSet<>();
        try {
            for (S3Object object : s3().listObjectsV2Paginator(b -> b.bucket(target.bucket()).prefix(target.listPrefix())).contents()) {
                held.add(object.key());
            }
        } catch (S3Exception e) {
            if (e.statusCode() != 403) {
                throw e;
            }
            run.note("the ledger bucket " + target + " cannot be listed (" + e.awsErrorDetails().errorCode() + ": s3:ListBucket is not"
                    + " granted): months whose objects vanished from it are not noticed; publishing goes on");
            LOG.warn("ledger: {} cannot be listed ({}): months whose objects vanished are not noticed; publishing goes on", target,
                    e.awsErrorDetails().errorCode());
            return;
        }
        for (YearMonth month : published()) {
            List<String> missing = formats.stream().map(f -> target.key(month, f.extension())).filter(k -> !held.contains(k)).toList();
            if (!missing.isEmpty()) {
                LOG.warn("ledger: the bucket {} lacks {}: {} is published again", target, missing, month);
                unmarkPublished(month);
            }
        }
    }

    private List<YearMonth> published() throws SQLException {
        List<YearMonth> months = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT billing_month FROM ledger_published WHERE target = ? ORDER BY billing_month")) {
            ps.setString(1, target.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    months.add(YearMonth.parse(rs.getString(1)));
                }
            }
        }
        return months;
    }

    private void unmarkPublished(YearMonth month) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM ledger_published WHERE target = ? AND billing_month = ?")) {
            ps.setString(1, target.name());
            ps.setString(2, month.toString());
            ps.executeUpdate();
        }
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

    private synchronized S3Client s3() {
        if (s3 == null) {
            s3 = client.get();
            camel.getRegistry().bind(CLIENT_BEAN, S3Client.class, s3);
        }
        return s3;
    }

    private synchronized ProducerTemplate producer() {
        if (producer == null) {
            s3();
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
