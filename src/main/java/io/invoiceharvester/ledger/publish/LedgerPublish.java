package io.invoiceharvester.ledger.publish;

import io.invoiceharvester.ledger.export.FocusMetadata;
import io.invoiceharvester.ledger.export.LedgerFile;
import io.invoiceharvester.model.RunState;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The exported months and the bucket harvester.ledger.publish-uri names, for publish-ledger (routes/ledger.camel.yaml),
 * which uploads through Camel's AWS S3 component ({{harvester.ledger.publish-endpoint}}): per month one object per
 * format under billing_period=YYYY-MM, each a single PUT, with the FOCUS metadata beside them. A month is recorded as
 * published only after all its objects are stored; one that fails waits for the next run, like a pending drop. Once a
 * run, the bucket is read back (its prefix listed): a month whose objects vanished is published again. Each method
 * handles the run's bucket, one month, or one object.
 */
public class LedgerPublish {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerPublish.class);

    /** One object for the bucket: the exported file, its key, its type, and its user metadata (the FOCUS schema). */
    public record BucketObject(Path file, String key, String contentType, Map<String, String> metadata) {
        public long length() throws IOException {
            return Files.size(file);
        }
    }

    private final DataSource dataSource;
    private final Path ledgerDir;
    private final List<LedgerFile.Format> formats;
    private final PublishTarget target;
    private final S3Client s3;
    private FocusMetadata metadata;

    /** target: null when nothing is published; s3: the bucket's client (LazyBucketClient), null without a target. */
    public LedgerPublish(DataSource dataSource, Path outputDir, List<String> formats, PublishTarget target, S3Client s3) {
        this.dataSource = dataSource;
        this.ledgerDir = outputDir.resolve("ledger");
        this.formats = formats.stream().map(LedgerFile.Format::parse).distinct().toList();
        this.target = target;
        this.s3 = s3;
    }

    /** The bucket's client, bound as PublishTarget.CLIENT_BEAN: lazy, so that starting the service calls no bucket. */
    public static S3Client client(Supplier<S3Client> build) {
        return LazyBucketClient.of(build);
    }

    /**
     * The bucket read back, once a run: a month recorded as published whose objects the prefix no longer lists is
     * published again. A listing the credentials may not make (s3:ListBucket) is said once, and publishing goes on.
     */
    public void readBack(RunState run) throws SQLException {
        if (target == null) {
            return;
        }
        Set<String> held = new HashSet<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(target.bucket()).prefix(target.listPrefix())).contents()) {
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

    /** Exported months (no export pending) without a record of being published to this target, oldest first. */
    public List<YearMonth> pending() throws SQLException {
        return target == null ? List.of() : pendingAt(dataSource, target.name());
    }

    /** The same, for a reader that has only the target's name (status). */
    public static List<YearMonth> pendingAt(DataSource dataSource, String targetName) throws SQLException {
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

    /** The FOCUS metadata the months' objects follow, written to ledger/ and uploaded before them. */
    public BucketObject metadataObject() throws SQLException, IOException {
        return new BucketObject(metadata().publish(ledgerDir), target.metadataKey(), "application/json", userMetadata());
    }

    /** A month's objects, one per format; a month whose exported file is gone fails (and waits). */
    public List<BucketObject> objects(YearMonth month) throws SQLException {
        List<BucketObject> objects = new ArrayList<>();
        for (LedgerFile.Format f : formats) {
            Path file = ledgerDir.resolve(month + "." + f.extension());
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(file + " is missing (`ledger rebuild --month " + month + "` writes it again)");
            }
            objects.add(new BucketObject(file, target.key(month, f.extension()),
                    f == LedgerFile.Format.CSV ? "text/csv; charset=utf-8" : "application/vnd.apache.parquet", userMetadata()));
        }
        return objects;
    }

    /** All the month's objects are stored: it is recorded as published to this target. */
    public void published(YearMonth month) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ledger_published (target, billing_month, published_at) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
            ps.setString(1, target.name());
            ps.setString(2, month.toString());
            ps.executeUpdate();
        }
        LOG.info("ledger: {} published to {}", month, target);
    }

    /** Each object names its FOCUS schema in its user metadata. */
    private Map<String, String> userMetadata() throws SQLException {
        return Map.of("focus-schema-id", metadata().schemaId(), "focus-version", FocusMetadata.FOCUS_VERSION);
    }

    /** The schema is fixed while the process runs (migrations come first): read once. */
    private synchronized FocusMetadata metadata() throws SQLException {
        if (metadata == null) {
            metadata = FocusMetadata.of(dataSource);
        }
        return metadata;
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
}
