package io.invoiceharvester.ledger.publish;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.TestHarvest;
import io.invoiceharvester.cli.HarvesterCommand;
import io.invoiceharvester.ledger.export.FocusLedgerTest;
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

    /** The providers' rule for the bucket: https, or http to this machine only; no user and password; a target that fits. */
    @Test
    void anEndpointInClearElsewhereOrWithAUserOrTooLongIsRefusedAtStartUp() throws Exception {
        try (Sandbox sandbox = Sandbox.start(0)) {
            StringWriter clear = new StringWriter();
            assertEquals(2, cli(clear, "check", "--config", config(sandbox, "aws2-s3://" + BUCKET
                    + "?uriEndpointOverride=http://192.0.2.10:9000&forcePathStyle=true&profileCredentialsName=ledger").toString()));
            assertTrue(clear.toString().contains("harvester.ledger.publish-uri: uriEndpointOverride 'http://192.0.2.10:9000' is"
                    + " http:// to another host"), clear.toString());

            StringWriter user = new StringWriter();
            assertEquals(2, cli(user, "check", "--config", config(sandbox, "aws2-s3://" + BUCKET + "?uriEndpointOverride=http://minio:"
                    + SECRET + "@127.0.0.1:" + proxy.getPort() + "&forcePathStyle=true&profileCredentialsName=ledger").toString()));
            assertTrue(user.toString().contains("uriEndpointOverride holds a user and password: refused"), user.toString());
            assertFalse(user.toString().contains(SECRET), "the password is not echoed: " + user);

            StringWriter longer = new StringWriter();
            Map<String, String> settings = new LinkedHashMap<>();
            Path config = config(sandbox, uri());
            Files.writeString(config, Files.readString(config).replace("harvester.ledger.publish-prefix=focus/invoices",
                    "harvester.ledger.publish-prefix=" + "p/".repeat(250) + "focus"));
            assertEquals(2, cli(longer, "check", "--config", config.toString()));
            assertTrue(longer.toString().contains("characters, and the state database records up to 512"), longer.toString());
            assertFalse(Files.exists(dir.resolve("out/archive")), "nothing harvested");
        }
    }

    /**
     * The bucket's calls go through harvester.http.proxy (a real tinyproxy), and not through a proxy the JVM's -D
     * settings name (a dead one here).
     */
    @Test
    void theBucketIsReachedThroughTheHarvestersProxyOnly() throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        try (io.invoiceharvester.Tinyproxy tinyproxy = new io.invoiceharvester.Tinyproxy(dir); Sandbox sandbox = Sandbox.start(0)) {
            Path config = config(sandbox, uri());
            Files.writeString(config, Files.readString(config) + "harvester.http.proxy=http://127.0.0.1:" + tinyproxy.port + "\n");
            System.setProperty("http.proxyHost", "127.0.0.1");
            System.setProperty("http.proxyPort", Integer.toString(closedPort()));
            try {
                StringWriter out = new StringWriter();
                assertEquals(0, cli(out, once(config)), out.toString());
            } finally {
                System.clearProperty("http.proxyHost");
                System.clearProperty("http.proxyPort");
            }
            assertTrue(keys().contains("focus/invoices/focus-metadata.json"), keys().toString());
            assertTrue(tinyproxy.log().contains("127.0.0.1:" + proxy.getPort()), "the bucket was reached through the proxy: "
                    + tinyproxy.log());
        }
    }

    /** Once a run, the bucket is read back: a month whose objects vanished is published again. */
    @Test
    void aMonthWhoseObjectsVanishedFromTheBucketIsPublishedAgain() throws Exception {
        s3.createBucket(b -> b.bucket(BUCKET));
        try (Sandbox sandbox = Sandbox.start(0)) {
            Path config = config(sandbox, uri());
            StringWriter first = new StringWriter();
            assertEquals(0, cli(first, once(config)), first.toString());
            YearMonth month = exportedMonths().get(0);
            String key = "focus/invoices/parquet/billing_period=" + month + "/focus.parquet";
            s3.deleteObject(b -> b.bucket(BUCKET).key(key));
            assertFalse(keys().contains(key));

            StringWriter second = new StringWriter();
            assertEquals(0, cli(second, once(config)), second.toString());

            assertArrayEquals(Files.readAllBytes(dir.resolve("out/ledger/" + month + ".parquet")),
                    s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray(), "published again: " + key);
        }
    }

    /**
     * A bucket that trickles its replies: each call ends at harvester.ledger.publish-timeout, the months wait, and the
     * run ends in bounded time; the run's deadline cuts a call in flight whatever the bucket's own bound.
     */
    @Test
    void aTricklingBucketIsCutByItsDeadlineAndByTheRunsDeadline() throws Exception {
        try (io.invoiceharvester.TricklingPeer bucket = new io.invoiceharvester.TricklingPeer(io.invoiceharvester.TricklingPeer.HTTP, 500);
             Sandbox sandbox = Sandbox.start(0)) {
            String trickling = "aws2-s3://" + BUCKET + "?region=eu-west-1&uriEndpointOverride=http://127.0.0.1:" + bucket.port()
                    + "&forcePathStyle=true&profileCredentialsName=ledger";
            Path config = config(sandbox, trickling);
            Files.writeString(config, Files.readString(config) + "harvester.ledger.publish-timeout=PT3S\n"
                    + "harvester.ledger.publish-attempt-timeout=PT2S\nharvester.http.read-timeout=5000\n");
            long started = System.nanoTime();
            StringWriter out = new StringWriter();
            assertEquals(1, cli(out, once(config)), out.toString());
            long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertTrue(seconds < 45, "bounded by the bucket's deadline: " + seconds + " s");
            assertTrue(out.toString().contains("ledger publish"), out.toString());
            assertTrue(bucket.connections.get() > 0, "the bucket was called");

            Path deadline = config(sandbox, trickling);
            Files.writeString(deadline, Files.readString(deadline) + "harvester.ledger.publish-timeout=PT10M\n"
                    + "harvester.ledger.publish-attempt-timeout=PT10M\nharvester.http.read-timeout=60000\n"
                    + "harvester.run.max-duration=PT12S\n");
            started = System.nanoTime();
            StringWriter cut = new StringWriter();
            assertEquals(1, cli(cut, "once", "--config", deadline.toString(), "--month", SandboxData.MONTHS.get(0).toString()), cut.toString());
            seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            assertTrue(seconds < 40, "cut at the run's deadline, not the bucket's ten minutes: " + seconds + " s");
            assertTrue(cut.toString().contains("run deadline"), cut.toString());
        }
    }

    /** A bucket stand-in whose answers a test chooses (WireMock), started on a free port of this machine. */
    private static com.github.tomakehurst.wiremock.WireMockServer bucketStandIn() {
        com.github.tomakehurst.wiremock.WireMockServer bucket = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        bucket.start();
        return bucket;
    }

    /**
     * Credentials that may put but not list (no s3:ListBucket; a bucket answering as a strict policy makes it, WireMock
     * here): the read-back is said once, in the summary and the log, and the months are published as before.
     */
    @Test
    void aBucketThatMayNotBeListedIsSaidOnceAndPublishingGoesOn() throws Exception {
        com.github.tomakehurst.wiremock.WireMockServer bucket = bucketStandIn();
        try (Sandbox sandbox = Sandbox.start(0)) {
            bucket.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                    com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/" + BUCKET + "/?"))
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(403)
                            .withHeader("Content-Type", "application/xml").withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                                    + "<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>r-1</RequestId></Error>")));
            bucket.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(
                    com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/" + BUCKET + "/.*"))
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withHeader("ETag", "\"e-1\"")));
            Path config = config(sandbox, "aws2-s3://" + BUCKET + "?region=eu-west-1&uriEndpointOverride=" + bucket.baseUrl()
                    + "&forcePathStyle=true&profileCredentialsName=ledger");
            Files.writeString(config, Files.readString(config) + "harvester.mail.when=always\n");

            StringWriter out = new StringWriter();
            assertEquals(0, cli(out, once(config)), out.toString());

            long puts = bucket.getAllServeEvents().stream().filter(e -> e.getRequest().getMethod().getName().equals("PUT")).count();
            assertEquals(1 + 2 * exportedMonths().size(), puts, "the metadata and every month, each format");
            String summary = Files.readString(Files.list(dir.resolve("out/outbox")).filter(f -> f.toString().endsWith(".eml"))
                    .findFirst().orElseThrow(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(summary.contains("cannot be listed (AccessDenied"), summary);
        } finally {
            bucket.stop();
        }
    }

    /**
     * One object of a month refused (its Parquet, the CSV stored): that month is not recorded as published, and waits
     * with its failure named; the next month goes on and is recorded. The error handler's mark, not the split's view.
     */
    @Test
    void aMonthWithOneObjectRefusedWaitsAndTheNextMonthIsPublished() throws Exception {
        com.github.tomakehurst.wiremock.WireMockServer bucket = bucketStandIn();
        try (Sandbox sandbox = Sandbox.start(0)) {
            YearMonth first = SandboxData.MONTHS.get(0);
            bucket.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                    com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/" + BUCKET + "/?"))
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withHeader("Content-Type", "application/xml")
                            .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult><Name>" + BUCKET
                                    + "</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>")));
            bucket.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(
                    com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/" + BUCKET + "/.*"))
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withHeader("ETag", "\"e-1\"")));
            bucket.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(
                    com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/" + BUCKET + "/focus/invoices/parquet/billing_period(=|%3D)"
                            + first + "/focus.parquet")).atPriority(1)
                    .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(403)
                            .withHeader("Content-Type", "application/xml").withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                                    + "<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>r-2</RequestId></Error>")));
            Path config = config(sandbox, "aws2-s3://" + BUCKET + "?region=eu-west-1&uriEndpointOverride=" + bucket.baseUrl()
                    + "&forcePathStyle=true&profileCredentialsName=ledger");

            StringWriter out = new StringWriter();
            assertEquals(1, cli(out, once(config)), out.toString());
            assertTrue(out.toString().contains("ledger publish " + first), out.toString());
            assertEquals(2, exportedMonths().size());
            assertEquals(1, bucket.getAllServeEvents().stream().filter(e -> e.getRequest().getMethod().getName().equals("PUT")
                    && e.getRequest().getUrl().matches(".*/csv/billing_period(=|%3D)" + first + "/.*")).count(), "the month's CSV was stored");

            StringWriter status = new StringWriter();
            assertEquals(0, cli(status, "status", "--config", config.toString(), "--json"), status.toString());
            assertTrue(status.toString().contains("\"ledgerMonthsToPublish\" : [ \"" + first + "\" ]"),
                    "the month with a refused object waits, the other is recorded: " + status);
        } finally {
            bucket.stop();
        }
    }

    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
