package io.invoiceharvester.state;

import io.invoiceharvester.http.ProblemDetails;
import io.invoiceharvester.model.InvalidContentException;
import io.invoiceharvester.model.ListedFile;
import io.invoiceharvester.model.Listing;
import io.invoiceharvester.model.LockLostException;
import io.invoiceharvester.model.RunState;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each failure into one reported line of its run: in the run's report, the state database, the
 * log and the metrics. The failed item is the one its route works on (a listing, a file, a mail; a ledger month
 * with its step's words); a run step without an item is named by its route's description, which Hawtio shows too,
 * unless failure-steps.properties gives finance other words for it (the file holds only those that differ).
 */
public class FailureReport {

    private static final Logger LOG = LoggerFactory.getLogger(FailureReport.class);

    private static final Pattern UNPRINTABLE =
            Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}\\u202A-\\u202E\\u2066-\\u2069]+");

    private final RunHistory history;
    private final Consumer<RunState.FailureKind> counter;
    private final Function<String, String> descriptions;

    /**
     * counter: told each failure's kind (the metrics count them); descriptions: a route's description by its id (what
     * Hawtio shows), or null for a route there is none of.
     */
    public FailureReport(RunHistory history, Consumer<RunState.FailureKind> counter, Function<String, String> descriptions) {
        this.history = history;
        this.counter = counter;
        this.descriptions = descriptions;
    }

    /**
     * The error handler's last step: the run, the item that failed (null for a step of the run itself), the
     * error, and the id of the route it failed in (names the step when there is no item).
     */
    public void failed(RunState run, Object item, Throwable error, String failedRoute) {
        if (item instanceof ListedFile file) {
            file.settle();
        }
        if (run != null && (lockLost(error) || !run.isHoldsLock())) {
            // a run that lost its lock reports that once, not as a failure of each item it left
            lockLost(run);
            LOG.debug("not done, the run lock was lost: {}", item);
            return;
        }
        RunState.FailureKind kind = classify(error);
        String message = describe(error);
        if (kind == RunState.FailureKind.CREDENTIALS) {
            message += credentialHint(item);
        }
        record(run, kind, what(item, failedRoute), message);
        if (item instanceof Listing && run != null) {
            run.listingDone();
        }
    }

    /**
     * The run lost its lock (its heartbeat found the row taken over, or a write was refused by the fence): said once,
     * as the run's one failure of it, in the log and the run's figures; nothing of it reaches the state database.
     */
    public void lockLost(RunState run) {
        if (run.markLockLost()) {
            record(run, RunState.FailureKind.OTHER, "run lock", "run lock lost: another process took it over; this run"
                    + " wrote nothing after that, and the lock's new holder reports what was done");
        }
    }

    private static boolean lockLost(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof LockLostException) {
                return true;
            }
        }
        return false;
    }

    public void record(RunState run, RunState.FailureKind kind, String rawItem, String rawMessage) {
        String item = printable(rawItem);
        String message = printable(rawMessage);
        LOG.warn("failed: {}: {}", item, message);
        counter.accept(kind);
        if (run == null) {
            return;
        }
        RunState.Failure failure = new RunState.Failure(kind, item, message);
        int seq = run.failed(failure);
        if (run.isDryRun() || !run.isHoldsLock()) {
            return; // a plan records nothing, and a run that lost its lock writes nothing more
        }
        try {
            history.failed(run.getRunId(), seq, failure);
        } catch (RuntimeException e) {
            LOG.warn("the failure above is not in the state database: {}", e.getMessage());
        }
    }

    /**
     * Text from a provider (error details, file names) on one line: control characters, line separators
     * and direction overrides cannot forge a log line or a line of the summary.
     */
    public static String printable(String s) {
        return s == null ? null : UNPRINTABLE.matcher(s).replaceAll(" ");
    }

    /**
     * What failed: an item by itself (a file, a listing, a mail); a ledger month with the step it failed in ("ledger
     * export 2025-01"); no item, the step alone.
     */
    private String what(Object item, String failedRoute) {
        if (item == null) {
            return step(failedRoute);
        }
        return item instanceof YearMonth ? step(failedRoute) + " " + item : item.toString();
    }

    /**
     * The step that failed, in the words the summary shows finance: its route's description, unless
     * failure-steps.properties gives other words for it; a route without either by its id.
     */
    private String step(String routeId) {
        if (routeId == null) {
            return "run";
        }
        String words = STEPS.getProperty(routeId);
        String description = words != null ? words : descriptions.apply(routeId);
        return description != null ? description : routeId;
    }

    /** The words for finance that differ from a route's description (failure-steps.properties): route id = words. */
    public static final Properties STEPS = steps();

    private static Properties steps() {
        Properties p = new Properties();
        InputStream in = FailureReport.class.getResourceAsStream("/failure-steps.properties");
        if (in == null) {
            throw new IllegalStateException("failure-steps.properties is not on the class path");
        }
        try (in) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("failure-steps.properties cannot be read", e);
        }
        return p;
    }

    private static String credentialHint(Object item) {
        String provider = item instanceof Listing l ? l.getProvider() : item instanceof ListedFile f ? f.getProvider() : "";
        return switch (provider) {
            case "akamai" -> " - check the credentials in harvester.akamai.edgerc, section harvester.akamai.section";
            case "fastly" -> " - check harvester.fastly.api-token (FASTLY_API_TOKEN, or harvester.fastly.api-token-file)";
            default -> "";
        };
    }

    /** Why it failed, as the exit code sees it: credentials, unreachable, content, or anything else. */
    public static RunState.FailureKind classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException h) {
                int s = h.getStatusCode();
                return s == 401 || s == 403 ? RunState.FailureKind.CREDENTIALS : RunState.FailureKind.OTHER;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || isRefusedCertificate(t)) {
                return RunState.FailureKind.UNREACHABLE;
            }
            if (t instanceof InvalidContentException) {
                return RunState.FailureKind.CONTENT;
            }
        }
        return RunState.FailureKind.OTHER;
    }

    /**
     * The server's certificate was refused (no trusted authority, or made out to another name): the provider
     * cannot be reached this way at all, and trying again changes nothing.
     */
    public static boolean isRefusedCertificate(Throwable t) {
        return t instanceof SSLHandshakeException || t instanceof SSLPeerUnverifiedException;
    }

    /** A failure as the report shows it: a provider's problem details, or the exception's type and message. */
    public static String describe(Throwable error) {
        if (error == null) {
            return "failed";
        }
        // Camel's own wrappers say only that something failed on an exchange, or which part of a split: the cause says what
        while ((error instanceof RuntimeCamelException || error instanceof CamelExchangeException) && error.getCause() != null) {
            error = error.getCause();
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConnectException refused && error instanceof MessagingException) {
                return "the mail server refused the connection (" + refused.getMessage() + "): the mail stays in the outbox";
            }
            if (isRefusedCertificate(t)) {
                return "the server's TLS certificate was refused (" + t.getClass().getSimpleName() + ": " + t.getMessage()
                        + "): trust its authority with harvester.http.truststore, or check that the API URL names the"
                        + " certificate's host";
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException h) {
                return ProblemDetails.describe(h.getStatusCode(), h.getResponseBody());
            }
        }
        return happened(error);
    }

    /** What happened, in words: a network failure by its kind, else the failure's own message; a Java class only when it has none. */
    static String happened(Throwable error) {
        String m = error.getMessage() == null || error.getMessage().isBlank() ? null : error.getMessage();
        String what = error instanceof ConnectException ? "the connection was refused"
                : error instanceof UnknownHostException ? "the host name is unknown"
                : error instanceof SocketTimeoutException ? "no answer within the timeout"
                : error instanceof NoHttpResponseException ? "the server closed the connection without answering"
                : error instanceof ConnectionClosedException ? "the connection closed before the body's end"
                : error instanceof SSLHandshakeException ? "the TLS handshake failed"
                : error instanceof SocketException ? "the connection broke"
                : null;
        if (what != null) {
            return m == null ? what : what + " (" + m + ")";
        }
        return m != null ? m : "an unexpected " + error.getClass().getSimpleName() + " without a message";
    }
}
