package io.invoiceharvester.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * harvester.concurrency as what it promises: at most that many provider requests in flight, lists and
 * downloads of both providers together. A request takes a slot only after its account's pacer let it go,
 * and gives it back as soon as its response body is read to the end or closed: a thread that waits for a
 * pacer, or archives and records a file, holds no slot that another request could use.
 */
public class RequestSlots {

    private final Semaphore slots;
    private final int size;
    private volatile String refusal;

    public RequestSlots(int concurrency) {
        this.size = concurrency;
        this.slots = new Semaphore(concurrency, true);
    }

    /**
     * From now on a request that gets a slot is not sent but fails with {@code reason} (the run lost its
     * lock: requests already waiting for a slot must not start), until {@link #accept()}.
     */
    public void refuse(String reason) {
        refusal = reason;
    }

    /** A new run: requests are sent again. */
    public void accept() {
        refusal = null;
    }

    /** A request the harvester itself stopped before sending: not a provider's failure, never retried. */
    public static class RefusedRequestException extends IOException {
        public RefusedRequestException(String message) {
            super(message);
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
            try {
                if (pacer != null) {
                    pacer.acquire(key);
                }
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a request slot");
            }
            Runnable release = releaseOnce();
            try {
                String refused = refusal;
                if (refused != null) {
                    throw new RefusedRequestException(refused);
                }
                if (pacer != null) {
                    pacer.spaceSend(key);
                }
                ClassicHttpResponse response = chain.proceed(request, scope);
                if (response.getEntity() == null) {
                    release.run();
                } else {
                    response.setEntity(new SlotEntity(response.getEntity(), release));
                }
                return response;
            } catch (InterruptedException e) {
                release.run();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while pacing a request");
            } catch (IOException | HttpException | RuntimeException e) {
                release.run();
                throw e;
            }
        };
    }

    private Runnable releaseOnce() {
        AtomicBoolean held = new AtomicBoolean(true);
        return () -> {
            if (held.compareAndSet(true, false)) {
                slots.release();
            }
        };
    }

    /** A response body whose end, by reading or closing, gives the slot back. */
    private static final class SlotEntity extends HttpEntityWrapper {
        private final Runnable release;

        SlotEntity(HttpEntity wrapped, Runnable release) {
            super(wrapped);
            this.release = release;
        }

        @Override
        public InputStream getContent() throws IOException {
            return new java.io.FilterInputStream(super.getContent()) {
                @Override
                public int read() throws IOException {
                    return ended(super.read());
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return ended(super.read(b, off, len));
                }

                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        release.run();
                    }
                }

                private int ended(int n) {
                    if (n < 0) {
                        release.run();
                    }
                    return n;
                }
            };
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                release.run();
            }
        }
    }
}
