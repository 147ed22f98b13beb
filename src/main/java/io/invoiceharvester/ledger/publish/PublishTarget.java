package io.invoiceharvester.ledger.publish;

import io.invoiceharvester.http.Cutoffs;
import io.invoiceharvester.http.Outbound;
import io.invoiceharvester.ledger.export.FocusMetadata;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.TrustManager;
import org.apache.camel.util.URISupport;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache.ProxyConfiguration;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3-compatible bucket harvester.ledger.publish-uri names (Camel's AWS S3 component URI), checked:
 * the options that shape the client, the object layout under the prefix, and credentials from the
 * environment or a profile file only; keys in the URI are refused.
 */
public record PublishTarget(String bucket, String prefix, Region region, URI endpointOverride, boolean pathStyle,
                            String profile, Path credentialsFile, Map<String, Object> producerOptions,
                            Map<String, String> environment) {

    public static final String SCHEME = "aws2-s3";
    /** The client the endpoint names (LedgerPublish.client, lazy). */
    public static final String CLIENT_BEAN = "ledgerPublishS3Client";
    /** Where the endpoint leads without a bucket: nowhere, as no month is ever due then (fails at once if sent to). */
    public static final String NO_BUCKET = "direct:no-ledger-bucket?block=false";
    /** ledger_published.target's length. */
    static final int NAME_MAX = 512;
    private static final Set<String> KEYS = Set.of("accessKey", "secretKey", "sessionToken");
    private static final Set<String> CLIENT_OPTIONS = Set.of("region", "uriEndpointOverride", "overrideEndpoint",
            "forcePathStyle", "profileCredentialsName");
    /** Options Camel applies to each upload (the client is ours: its credentials come from nowhere else). */
    private static final Set<String> PRODUCER_OPTIONS = Set.of("storageClass");

    /**
     * @param credentialsFile an AWS credentials file (profile format), or null for AWS_SHARED_CREDENTIALS_FILE
     *                        or ~/.aws/credentials
     * @throws IllegalArgumentException saying what is wrong
     */
    public static PublishTarget parse(String uri, String prefix, Path credentialsFile, Map<String, String> env) {
        if (!uri.startsWith(SCHEME + "://")) {
            throw new IllegalArgumentException("'" + uri + "' is no " + SCHEME + ":// URI (aws2-s3://BUCKET?region=...)");
        }
        int q = uri.indexOf('?');
        String bucket = uri.substring(SCHEME.length() + 3, q < 0 ? uri.length() : q);
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("'" + bucket + "' is no bucket name (3 to 63 of a-z, 0-9, '.', '-')");
        }
        Map<String, Object> options;
        try {
            options = URISupport.parseQuery(q < 0 ? "" : uri.substring(q + 1));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("its options do not parse (" + e.getMessage() + ")");
        }
        for (String key : options.keySet()) {
            if (KEYS.contains(key)) {
                throw new IllegalArgumentException(key + " in the URI is refused: credentials come from the environment"
                        + " (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or harvester.ledger.publish-credentials-file");
            }
            if (!CLIENT_OPTIONS.contains(key) && !PRODUCER_OPTIONS.contains(key)) {
                throw new IllegalArgumentException("option " + key + " is not supported here (supported: "
                        + String.join(", ", List.copyOf(new TreeSet<>(union()))) + ")");
            }
            if (options.get(key) instanceof List<?>) {
                throw new IllegalArgumentException("option " + key + " is given twice");
            }
        }
        String endpoint = (String) options.get("uriEndpointOverride");
        boolean override = Boolean.parseBoolean(String.valueOf(options.getOrDefault("overrideEndpoint", endpoint != null)));
        URI endpointOverride = null;
        if (override) {
            if (endpoint == null) {
                throw new IllegalArgumentException("overrideEndpoint=true needs uriEndpointOverride (the store's URL)");
            }
            try {
                endpointOverride = new URI(endpoint);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("uriEndpointOverride is no http(s) URL (" + e.getReason() + ")");
            }
            if (endpointOverride.getRawUserInfo() != null) {
                // it would reach the log, ledger_published, `status --json` and the summary
                throw new IllegalArgumentException("uriEndpointOverride holds a user and password: refused; credentials come"
                        + " from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or harvester.ledger.publish-credentials-file");
            }
            if (endpointOverride.getScheme() == null || endpointOverride.getHost() == null) {
                throw new IllegalArgumentException("uriEndpointOverride '" + endpoint + "' is no http(s) URL");
            }
            if (!Outbound.inClearOnlyToThisMachine(endpointOverride)) {
                throw new IllegalArgumentException("uriEndpointOverride '" + endpoint + "' is http:// to another host; the"
                        + " requests' signatures and the ledger would travel in clear: use https://");
            }
        }
        String p = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        if (p.contains("//") || p.contains("..")) {
            throw new IllegalArgumentException("prefix '" + prefix + "' has an empty or '..' segment");
        }
        Map<String, Object> producer = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (PRODUCER_OPTIONS.contains(k)) {
                producer.put(k, v);
            }
        });
        String profile = (String) options.getOrDefault("profileCredentialsName", env.getOrDefault("AWS_PROFILE", "default"));
        Path file = credentialsFile != null ? credentialsFile
                : env.containsKey("AWS_SHARED_CREDENTIALS_FILE") ? Path.of(env.get("AWS_SHARED_CREDENTIALS_FILE"))
                : Path.of(System.getProperty("user.home"), ".aws", "credentials");
        PublishTarget target = new PublishTarget(bucket, p, Region.of(String.valueOf(options.getOrDefault("region", "us-east-1"))),
                endpointOverride, Boolean.parseBoolean(String.valueOf(options.getOrDefault("forcePathStyle", "false"))),
                profile, file, Map.copyOf(producer), credentialsFrom(env));
        if (target.name().length() > NAME_MAX) {
            throw new IllegalArgumentException("the target " + target.name() + " is " + target.name().length() + " characters, and"
                    + " the state database records up to " + NAME_MAX + " (ledger_published.target): shorten the endpoint or the"
                    + " prefix (harvester.ledger.publish-prefix)");
        }
        return target;
    }

    /** Start-up's check that credentials are there to be read (whether they are accepted, the first upload tells). */
    public PublishTarget withCredentials() {
        if (!environment.containsKey("AWS_ACCESS_KEY_ID") && !Files.isReadable(credentialsFile)) {
            throw new IllegalArgumentException("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the"
                    + " environment, or name a credentials file (profile '" + profile + "') in harvester.ledger.publish-credentials-file"
                    + " (" + credentialsFile + " cannot be read)");
        }
        return this;
    }

    /** The environment's AWS credentials, and nothing else of it. */
    private static Map<String, String> credentialsFrom(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")) {
            if (env.get(key) != null && !env.get(key).isBlank()) {
                out.put(key, env.get(key));
            }
        }
        return Map.copyOf(out);
    }

    private static Set<String> union() {
        Set<String> all = new HashSet<>(CLIENT_OPTIONS);
        all.addAll(PRODUCER_OPTIONS);
        return all;
    }

    /** Secrets stay out of toString. */
    @Override
    public String toString() {
        return name();
    }

    /** The target as ledger_published records it: endpoint, bucket and prefix (never a credential). */
    public String name() {
        return (endpointOverride == null ? "s3" : endpointOverride.toString()) + "/" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    /** {prefix}/csv/billing_period=YYYY-MM/focus.csv: one object per format and month, a Hive-style partition. */
    String key(YearMonth month, String extension) {
        return (prefix.isEmpty() ? "" : prefix + "/") + extension + "/billing_period=" + month + "/focus." + extension;
    }

    /** What the listing of the read-back asks for: the objects under the prefix. */
    String listPrefix() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }

    String metadataKey() {
        return (prefix.isEmpty() ? "" : prefix + "/") + FocusMetadata.FILE;
    }

    /**
     * The Camel endpoint publish-ledger uploads to ({{harvester.ledger.publish-endpoint}}): the bucket, its upload
     * options, and the client bound as CLIENT_BEAN; NO_BUCKET without a target.
     */
    public static String endpointUri(PublishTarget target) {
        return target == null ? NO_BUCKET : target.endpointUri();
    }

    private String endpointUri() {
        Map<String, Object> options = new LinkedHashMap<>(producerOptions);
        options.put("amazonS3Client", "#" + CLIENT_BEAN);
        options.put("multiPartUpload", "false"); // one PUT per object: no reader sees half a month
        options.put("autoCreateBucket", "false"); // the bucket is the operator's to create
        try {
            return URISupport.appendParametersToURI(SCHEME + "://" + bucket, options);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The client: credentials from the environment, then the profile file, and from nowhere else (the SDK's
     * default chain would also read system properties); the harvester's proxy and trust store, and no proxy from
     * the environment or -D; each call within {@code attempt}, with its retries within {@code total}, and cut by the
     * run's deadline or a stop (cutoffs).
     */
    public S3Client client(Outbound outbound, Duration connectTimeout, Duration readTimeout, Duration attempt, Duration total,
                           Cutoffs cutoffs) {
        AwsCredentialsProvider fromEnvironment = () -> environmentCredentials(environment);
        AwsCredentialsProvider fromFile = ProfileCredentialsProvider.builder()
                .profileFile(() -> ProfileFile.builder().content(credentialsFile).type(ProfileFile.Type.CREDENTIALS).build())
                .profileName(profile).build();
        var builder = S3Client.builder().region(region)
                .credentialsProvider(AwsCredentialsProviderChain.builder().credentialsProviders(fromEnvironment, fromFile).build())
                .forcePathStyle(pathStyle)
                // checksums only where S3 requires them, as SDKs did before 2.30: many S3-compatible stores
                // refuse the newer trailing-checksum uploads
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(http(outbound, connectTimeout, readTimeout, cutoffs))
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallAttemptTimeout(attempt).apiCallTimeout(total).build());
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        return builder.build();
    }

    private static SdkHttpClient http(Outbound outbound, Duration connectTimeout, Duration readTimeout, Cutoffs cutoffs) {
        ProxyConfiguration.Builder proxy = ProxyConfiguration.builder().useSystemPropertyValues(false).useEnvironmentVariableValues(false);
        if (outbound.proxyUri() != null) {
            proxy.endpoint(outbound.proxyUri());
        }
        ApacheHttpClient.Builder apache = ApacheHttpClient.builder().connectionTimeout(connectTimeout).socketTimeout(readTimeout)
                .proxyConfiguration(proxy.build());
        if (outbound.trustManager() != null) {
            apache.tlsTrustManagersProvider(() -> new TrustManager[] {outbound.trustManager()});
        }
        BucketCalls calls = new BucketCalls(apache.build());
        cutoffs.register(calls);
        return calls;
    }

    private static AwsCredentials environmentCredentials(Map<String, String> env) {
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id == null || id.isBlank() || secret == null || secret.isBlank()) {
            throw SdkClientException.create("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set");
        }
        String token = env.get("AWS_SESSION_TOKEN");
        return token == null || token.isBlank() ? AwsBasicCredentials.create(id, secret) : AwsSessionCredentials.create(id, secret, token);
    }

}
