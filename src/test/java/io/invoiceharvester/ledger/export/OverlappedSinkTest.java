package io.invoiceharvester.ledger.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The export's hand-over between the reading thread and each file's: every row in order, a failure never lost or hung on. */
class OverlappedSinkTest {

    private static Thread writer(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(name)).findFirst().orElse(null);
    }

    @Test
    @Timeout(30)
    void everyTargetGetsEveryRowInOrderThoughTheReaderReusesItsArray() throws Exception {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        try (OverlappedSink sink = new OverlappedSink("sink-order", List.of(r -> first.add(r[0]), r -> second.add(r[0])))) {
            String[] row = new String[1];
            for (int i = 0; i < 10_500; i++) {
                row[0] = Integer.toString(i);
                sink.write(row);
            }
            sink.finish();
        }
        assertEquals(10_500, first.size());
        assertEquals(first, second);
        for (int i = 0; i < first.size(); i++) {
            assertEquals(Integer.toString(i), first.get(i));
        }
    }

    @Test
    @Timeout(30)
    void aWritersFailureStopsTheReaderAndIsThrown() throws Exception {
        IOException thrown;
        try (OverlappedSink sink = new OverlappedSink("sink-fails", List.of(r -> {
            if (r[0].equals("2500")) {
                throw new IOException("No space left on device");
            }
        }))) {
            thrown = assertThrows(IOException.class, () -> {
                String[] row = new String[1];
                for (int i = 0; i < 1_000_000; i++) { // far more than the batches in flight: the reader must stop
                    row[0] = Integer.toString(i);
                    sink.write(row);
                }
                sink.finish();
            });
        }
        assertTrue(thrown.getMessage().contains("No space left on device"), thrown.getMessage());
    }

    @Test
    @Timeout(30)
    void aReaderThatGivesUpStopsTheWritersOnClose() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        OverlappedSink sink = new OverlappedSink("sink-abandoned", List.of(r -> {
            started.countDown();
            try {
                Thread.sleep(60_000); // a write that would hold the thread
            } catch (InterruptedException e) {
                throw new IOException("interrupted", e);
            }
        }));
        String[] row = {"x"};
        for (int i = 0; i < 1000; i++) {
            sink.write(row);
        }
        assertTrue(started.await(10, TimeUnit.SECONDS));
        sink.close(); // as after a failed read: no finish
        Thread left = writer("sink-abandoned");
        assertFalse(left != null && left.isAlive(), "the writing thread is gone");
    }
}
