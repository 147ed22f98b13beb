package io.invoiceharvester.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * harvester.concurrency as what it promises, and an end to every wait of a provider request:
 * <ul>
 * <li>at most that many requests in flight, lists and downloads of both providers together; a request
 *     takes a slot only after its account's pacer let it go, and gives it back on every way out: its body
 *     read to the end or closed, an exception, a refusal;</li>
 * <li>a request lasts at most harvester.http.request-deadline, from its slot to its body's end: then its
 *     connection is closed under it, and it fails with a {@link DeadlineException};</li>
 * <li>a run's deadline ends the wait for a slot, and cancels every request still in flight;</li>
 * <li>an error body is read up to {@value #ERROR_BODY_MAX_BYTES} bytes, and a body closed before its end
 *     is cut off with its connection, never read to the end, whatever size the provider sends.</li>
 * </ul>
 */
public class RequestSlots implements AutoCloseable {

    /** What is kept of an error response's body (the problem details a report shows). */
    public static final int ERROR_BODY_MAX_BYTES = 64 * 1024;
    /** What is read of a body left before its end (a JSON value's trailing newline) to keep its connection. */
    static final int LEFTOVER_BYTES = 8 * 1024;

    private final Semaphore slots;
    private final int size;
    private final Duration requestDeadline;
    private final Set<Flight> inFlight = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "harvester-request-deadlines");
        t.setDaemon(true);
        return t;
    });
    private volatile String refusal;
    /** System.nanoTime() of the run's deadline; Long.MAX_VALUE while no run has one. */
    private volatile long runDeadline = Long.MAX_VALUE;

    public RequestSlots(int concurrency, Duration requestDeadline) {
        this.size = concurrency;
        this.slots = new Semaphore(concurrency, true);
        this.requestDeadline = requestDeadline;
    }

    /** A request the harvester itself stopped before sending: not a provider's failure, never retried. */
    public static class RefusedRequestException extends IOException {
        public RefusedRequestException(String message) {
            super(message);
        }
    }

    /** A request that passed its deadline, or the run's: its connection was closed under it; not retried. */
    public static class DeadlineException extends IOException {
        public DeadlineException(String message) {
            super(message);
        }
    }

    /** A new run: requests are sent again, until its deadline. */
    public void accept(Duration runMaxDuration) {
        refusal = null;
        runDeadline = System.nanoTime() + runMaxDuration.toNanos();
    }

    /**
     * From now on a request that gets a slot is not sent but fails with {@code reason} (the run lost its
     * lock, or passed its deadline: requests already waiting must not start), until {@link #accept}.
     */
    public void refuse(String reason) {
        refusal = reason;
    }

    /** Refuses new requests and cuts off those in flight: the run's deadline passed. */
    public void cancelAll(String reason) {
        refuse(reason);
        for (Flight f : inFlight) {
            f.cancel(reason);
        }
    }

    /** Requests now between taking a slot and their body's end. */
    public int inFlight() {
        return size - slots.availablePermits();
    }

    /** The exec-chain step of one provider: unpaced (Fastly). */
    public ExecChainHandler gate() {
        return gate(null, request -> "");
    }

    /**
     * The exec-chain step of one provider, placed before HttpClient's protocol step so that the request is
     * signed after every wait.
     *
     * @param pacer   the provider's per-key request limit, or null
     * @param keyOf   the pacer's key of a request (Akamai: its account switch key)
     */
    public ExecChainHandler gate(RequestPacer pacer, Function<ClassicHttpRequest, String> keyOf) {
        return (request, scope, chain) -> {
            String key = keyOf.apply(request);
            takeSlot(pacer, key);
            Flight flight = new Flight(scope.execRuntime);
            try {
                String refused = refusal;
                if (refused != null) {
                    throw new RefusedRequestException(refused);
                }
                if (pacer != null) {
                    pacer.spaceSend(key);
                }
                ClassicHttpResponse response = proceed(flight, chain, request, scope);
                if (response.getEntity() == null) {
                    flight.end();
                } else {
                    response.setEntity(new SlotEntity(response.getEntity(), flight, response.getCode() >= 400));
                }
                return response;
            } catch (InterruptedException e) {
                flight.end();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while pacing a request");
            } catch (IOException | HttpException | RuntimeException e) {
                flight.end();
                throw e;
            }
        };
    }

    /** Waits for the pacer and a free slot, until the run's deadline at the latest. */
    private void takeSlot(RequestPacer pacer, String key) throws IOException {
        try {
            if (pacer != null && !pacer.acquire(key, runDeadline)) {
                throw new DeadlineException("not sent: the run's deadline (harvester.run.max-duration) comes before this"
                        + " account's turn");
            }
            long wait = runDeadline == Long.MAX_VALUE ? Long.MAX_VALUE : runDeadline - System.nanoTime();
            if (!slots.tryAcquire(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
                throw new DeadlineException("not sent: the run's deadline (harvester.run.max-duration) passed while it waited for"
                        + " a request slot");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a request slot");
        }
    }

    private static ClassicHttpResponse proceed(Flight flight, ExecChain chain, ClassicHttpRequest request, ExecChain.Scope scope)
            throws IOException, HttpException {
        try {
            return chain.proceed(request, scope);
        } catch (IOException e) {
            throw flight.explained(e);
        }
    }

    /** Whether the stream ends within {@code max} more bytes (read and dropped). */
    private static boolean endsWithin(InputStream in, int max) throws IOException {
        byte[] buf = new byte[1024];
        for (int left = max; left > 0; ) {
            int n = in.read(buf, 0, Math.min(buf.length, left));
            if (n < 0) {
                return true;
            }
            left -= n;
        }
        return in.read() < 0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One request between its slot and its body's end. */
    private final class Flight {
        private final ExecRuntime runtime;
        private final AtomicBoolean held = new AtomicBoolean(true);
        private final ScheduledFuture<?> deadline;
        private volatile String cancelled;

        Flight(ExecRuntime runtime) {
            this.runtime = runtime;
            inFlight.add(this);
            this.deadline = timer.schedule(() -> cancel("the request passed harvester.http.request-deadline (" + requestDeadline
                    + ")"), requestDeadline.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** The slot back, once. */
        void end() {
            if (held.compareAndSet(true, false)) {
                deadline.cancel(false);
                inFlight.remove(this);
                slots.release();
            }
        }

        /** Closes the connection under the request: a blocked read or connect fails at once. */
        void cancel(String reason) {
            if (held.get()) {
                cancelled = reason;
                if (runtime instanceof Cancellable lease) {
                    lease.cancel(); // a wait for a pooled connection, or a connect
                }
                runtime.discardEndpoint();
            }
        }

        /** A failure caused by cancelling says so. */
        IOException explained(IOException e) {
            return cancelled == null ? e : new DeadlineException(cancelled);
        }

        /** Cuts a body off with its connection: never read to the end (HttpClient would drain it to reuse the connection). */
        void discard() {
            if (held.get()) {
                runtime.discardEndpoint();
            }
        }
    }

    /**
     * A response body whose end, by reading or closing, gives the slot back; an error body ends after
     * {@value #ERROR_BODY_MAX_BYTES} bytes; a body closed before its end is cut off, not drained.
     */
    private static final class SlotEntity extends HttpEntityWrapper {
        private final Flight flight;
        private final boolean error;

        SlotEntity(HttpEntity wrapped, Flight flight, boolean error) {
            super(wrapped);
            this.flight = flight;
            this.error = error;
        }

        @Override
        public InputStream getContent() throws IOException {
            return new FilterInputStream(super.getContent()) {
                private long read;
                private boolean ended;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (error && read >= ERROR_BODY_MAX_BYTES) {
                        return -1; // the rest of an error body is never read: close() cuts it off
                    }
                    int want = error ? (int) Math.min(len, ERROR_BODY_MAX_BYTES - read) : len;
                    int n;
                    try {
                        n = super.read(b, off, want);
                    } catch (IOException e) {
                        flight.end();
                        throw flight.explained(e);
                    }
                    if (n < 0) {
                        ended = true;
                        flight.end();
                    } else {
                        read += n;
                    }
                    return n;
                }

                /**
                 * A body left before its end: what little is left is read, so the connection can serve the next
                 * request; a body with more than that is cut off with its connection, never read to its end.
                 */
                @Override
                public void close() throws IOException {
                    try {
                        if (!ended && !(error && read >= ERROR_BODY_MAX_BYTES)) {
                            ended = endsWithin(in, LEFTOVER_BYTES);
                        }
                        if (!ended) {
                            flight.discard();
                        }
                        super.close();
                    } catch (IOException e) {
                        if (ended) {
                            throw e;
                        } // a body cut off fails to close its stream: that is the point
                    } finally {
                        flight.end();
                    }
                }
            };
        }

        @Override
        public void close() throws IOException {
            try {
                flight.discard();
                super.close();
            } catch (IOException e) {
                // cut off
            } finally {
                flight.end();
            }
        }
    }
}
