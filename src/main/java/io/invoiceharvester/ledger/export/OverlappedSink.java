package io.invoiceharvester.ledger.export;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands the export's rows (their source values) to one thread per file, in batches, so that reading them from the
 * database (the caller, which waits on the server between fetches) and making, formatting and writing each file's
 * rows (those threads) overlap on the machine's cores: the export ran at the sum of them all before. A few batches
 * are in flight per file at most. A failure of a writing thread stops the reader at its next batch and is thrown
 * by {@link #finish}; {@link #close} stops the writing threads however the reading ended, and returns once they have.
 */
final class OverlappedSink implements FocusColumns.RowSink, AutoCloseable {

    private static final int BATCH = 1000;
    private static final int IN_FLIGHT = 4;
    private static final String[][] END = new String[0][];

    private final List<Writer> writers = new ArrayList<>();
    private String[][] batch = new String[BATCH][];
    private int size;

    /** One writing thread per target, named after the export and the target's number. */
    OverlappedSink(String name, List<FocusColumns.RowSink> targets) {
        for (FocusColumns.RowSink target : targets) {
            writers.add(new Writer(name + " #" + (writers.size() + 1), target));
        }
    }

    private static final class Writer {
        final BlockingQueue<String[][]> queue = new ArrayBlockingQueue<>(IN_FLIGHT);
        final Thread thread;
        volatile Throwable failed;

        Writer(String name, FocusColumns.RowSink target) {
            thread = new Thread(() -> {
                try {
                    for (String[][] rows = queue.take(); rows != END; rows = queue.take()) {
                        for (String[] row : rows) {
                            target.write(row);
                        }
                    }
                } catch (InterruptedException e) {
                    failed = e; // stopped by close(): the reader has given up
                } catch (IOException | RuntimeException | Error e) {
                    failed = e;
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    @Override
    public void write(String[] row) throws IOException {
        batch[size++] = row.clone(); // the reader fills the same array again
        if (size == BATCH) {
            hand(batch);
            batch = new String[BATCH][];
            size = 0;
        }
    }

    /** Hands over the last rows and waits until they are written; a writing thread's failure is thrown here. */
    void finish() throws IOException {
        hand(Arrays.copyOf(batch, size));
        hand(END);
        try {
            for (Writer w : writers) {
                w.thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the ledger export was being written");
        }
        check();
    }

    /** The same batch to every writer: each only reads it. */
    private void hand(String[][] rows) throws IOException {
        try {
            for (Writer w : writers) {
                while (!w.queue.offer(rows, 100, TimeUnit.MILLISECONDS)) {
                    check();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the ledger export was being written");
        }
        check();
    }

    private void check() throws IOException {
        for (Writer w : writers) {
            Throwable t = w.failed;
            if (t instanceof IOException e) {
                throw new IOException(e.getMessage(), e);
            }
            if (t instanceof RuntimeException e) {
                throw new UncheckedIOException(new IOException(e.getMessage(), e));
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null || !w.thread.isAlive() && !w.queue.isEmpty()) {
                throw new IOException("the ledger export's writing thread " + w.thread.getName() + " stopped");
            }
        }
    }

    @Override
    public void close() {
        for (Writer w : writers) {
            w.thread.interrupt();
        }
        for (Writer w : writers) {
            try {
                w.thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
