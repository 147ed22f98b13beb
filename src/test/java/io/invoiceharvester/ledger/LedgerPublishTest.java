package io.invoiceharvester.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.cli.HarvesterCommand;
import io.invoiceharvester.sandbox.Sandbox;
import io.invoiceharvester.sandbox.SandboxData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The ledger published to a real S3-compatible server (s3proxy on its filesystem backend, started here):
 * every month of a harvest of both providers read back from the bucket, byte for byte as in ledger/,
 * laid out by billing period; a bucket that is not there makes the months wait, and a later run
 * publishes them.
 */
class LedgerPublishTest {

    static final String ID = "harvester-test";
    static final String SECRET = "not-a-real-secret";
    static final String BUCKET = "finops-ledger";

    @TempDir
    Path dir;
    BlobStoreContext blobs;
    S3Proxy proxy;
    S3Client s3;

    @BeforeEach
    void startS3() throws Exception {
        Properties p = new Properties();
        Path root = Files.createDirectories(dir.resolve("s3"));
        p.setProperty("jclouds.filesystem.basedir", root.toString());
        blobs = ContextBuilder.newBuilder("filesystem").overrides(p).build(BlobStoreContext.class);
        proxy = S3Proxy.builder().blobStore(blobs.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ID, SECRET).build();
        proxy.start();
        for (int i = 0; i < 100 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(50);
        }
        s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(URI.create(endpoint())).forcePathStyle(true)
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ID, SECRET))).build();
    }

    @AfterEach
    void stopS3() throws Exception {
        s3.close();
        proxy.stop();
        blobs.close();
    }

    String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    private Path config(Sandbox sandbox, String publishUri) throws Exception {
        Path credentials = dir.resolve("aws-credentials");
        Files.writeString(credentials, "[ledger]\naws_access_key_id = " + ID + "\naws_secret_access_key = " + SECRET + "\n");
        Path token = dir.resolve("fastly-token");
        Files.writeString(token, sandbox.fastlyToken());
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("harvester.fastly.enabled", "true");
        settings.put("harvester.fastly.base-url", sandbox.baseUrl());
        settings.put("harvester.fastly.api-token-file", token.toString());
        settings.put("harvester.ledger.formats", "csv,parquet");
        settings.put("harvester.ledger.publish-uri", publishUri);
        settings.put("harvester.ledger.publish-prefix", "focus/invoices");
        settings.put("harvester.ledger.publish-credentials-file", credentials.toString());
        return TestHarvest.sandboxConfig(sandbox, dir, settings);
    }

    private String uri() {
        return "aws2-s3://" + BUCKET + "?region=eu-west-1&uriEndpointOverride=" + endpoint()
                + "&forcePathStyle=true&profileCredentialsName=ledger";
    }

    private static int cli(StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        int code = HarvesterCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        out.append(err.toString());
        return code;
    }

    private String[] once(Path config) {
        return new String[] {"once", "--config", config.toString(), "--from", SandboxData.MONTHS.get(0).toString(),
            "--to", SandboxData.MONTHS.get(SandboxData.MONTHS.size() - 1).toString()};
    }

    private List<String> keys() {
        List<String> out = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2(b -> b.bucket(BUCKET)).contents()) {
            if (!o.key().endsWith("/")) { // s3proxy's filesystem backend lists its folders too
                out.add(o.key());
            }
        }
        return out;
    }

    /** The months ledger/ holds an export of. */
    private List<YearMonth> exportedMonths() throws java.io.IOException {
        try (var files = Files.list(dir.resolve("out/ledger"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".csv"))
                    .map(n -> YearMonth.parse(n.substring(0, 7))).sorted().toList();
        }
    }

    @Test
    void everyMonthIsReadBackFromTheBucketByteForByteLaidOutByBillingPeriod() throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        try (Sandbox sandbox = Sandbox.start(0)) {
            StringWriter out = new StringWriter();
            assertEquals(0, cli(out, once(config(sandbox, uri()))), out.toString());
        }
        List<String> expected = new ArrayList<>(List.of("focus/invoices/focus-metadata.json"));
        assertEquals(2, exportedMonths().size(), "the sandbox's invoices fill two months");
        for (YearMonth month : exportedMonths()) {
            for (String ext : List.of("csv", "parquet")) {
                String key = "focus/invoices/" + ext + "/billing_period=" + month + "/focus." + ext;
                expected.add(key);
                ResponseBytes<GetObjectResponse> object = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
                assertArrayEquals(Files.readAllBytes(dir.resolve("out/ledger/" + month + "." + ext)), object.asByteArray(), key);
                String schemaId = FocusLedgerTest.assertFocusMetadata(dir.resolve("out/ledger/focus-metadata.json"));
                assertEquals(schemaId, object.response().metadata().get("focus-schema-id"), key + " names its schema");
            }
        }
        assertEquals(expected.stream().sorted().toList(), keys().stream().sorted().toList(), "one object per format and month");
        assertArrayEquals(Files.readAllBytes(dir.resolve("out/ledger/focus-metadata.json")),
                s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("focus/invoices/focus-metadata.json")).asByteArray());
    }

    @Test
    void aMonthTheBucketDoesNotTakeWaitsIsShownByStatusAndTheNextRunPublishesIt() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0)) {
            Path config = config(sandbox, uri());
            StringWriter first = new StringWriter();
            assertEquals(1, cli(first, once(config)), "no such bucket yet: " + first);
            assertTrue(first.toString().contains("ledger publish"), first.toString());

            StringWriter status = new StringWriter();
            assertEquals(0, cli(status, "status", "--config", config.toString(), "--json"), status.toString());
            assertTrue(status.toString().contains("\"ledgerMonthsToPublish\" : [ \"" + exportedMonths().get(0) + "\", \""
                    + exportedMonths().get(1) + "\" ]"), status.toString());

            s3.createBucket(b -> b.bucket(BUCKET));
            StringWriter second = new StringWriter();
            assertEquals(0, cli(second, once(config)), second.toString());
            for (YearMonth month : exportedMonths()) {
                String key = "focus/invoices/csv/billing_period=" + month + "/focus.csv";
                assertArrayEquals(Files.readAllBytes(dir.resolve("out/ledger/" + month + ".csv")),
                        s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray(), key);
            }
            StringWriter after = new StringWriter();
            assertEquals(0, cli(after, "status", "--config", config.toString(), "--json"), after.toString());
            assertTrue(after.toString().contains("\"ledgerMonthsToPublish\" : [ ]"), after.toString());
        }
    }

    @Test
    void keysInTheUriAreRefusedAtStartUpNamingTheSetting() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0)) {
            StringWriter out = new StringWriter();
            assertEquals(2, cli(out, once(config(sandbox, uri() + "&accessKey=AKIA&secretKey=" + SECRET))));
            assertTrue(out.toString().contains("harvester.ledger.publish-uri: accessKey in the URI is refused"), out.toString());
            assertFalse(out.toString().contains(SECRET), "the secret is not echoed: " + out);
            assertFalse(Files.exists(dir.resolve("out/archive")), "nothing harvested");
        }
    }
}
