package io.invoiceharvester;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test of the harvester from outside: a fresh {@link TestHarvest} (WireMock stand-in, H2 state database,
 * output folder) in a temporary folder for every test, closed after it. A subclass's @BeforeEach runs after
 * this one's and may set further keys on {@link #h}; a test of each state database switches with {@link #on}.
 */
public abstract class HarvestTestSupport {

    @TempDir
    protected Path dir;
    protected TestHarvest h;

    @BeforeEach
    void newHarvest() throws Exception {
        h = new TestHarvest(dir);
    }

    /** This test's harvester on the given state database instead (skipped, saying why, when it is not there). */
    protected TestHarvest on(TestHarvest.StateDb db) throws IOException {
        h.close();
        h = null;
        h = new TestHarvest(dir, db);
        return h;
    }

    @AfterEach
    void closeHarvest() {
        if (h != null) {
            h.close();
        }
    }
}
