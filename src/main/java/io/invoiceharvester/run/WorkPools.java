package io.invoiceharvester.run;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The run's threads. Requests are capped by the request slots (harvester.concurrency), not by these pools:
 * listing and download threads may outnumber the slots because a thread waiting for its account's pacer
 * or for its listing's downloads holds none. The local work of a downloaded file (validate, archive,
 * ingest, drop, record) has its own pool (harvester.store-concurrency). Each queue is bounded: a full
 * queue makes the submitting thread do the work itself, so memory does not grow with the backlog.
 */
public final class WorkPools {

    private WorkPools() {
    }

    /** A fixed pool of daemon threads named prefix-N, its queue bounded at twice its threads. */
    public static ExecutorService bounded(String prefix, int threads) {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2 * threads), r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    }
}
