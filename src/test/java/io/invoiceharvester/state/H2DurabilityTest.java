package io.invoiceharvester.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.TestHarvest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit survives kill -9 right after it (README: "nothing is lost"): every H2 file URL the harvester
 * opens writes its commits at once (WRITE_DELAY=0), unless the URL sets its own delay.
 */
class H2DurabilityTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"", ";AUTO_SERVER=TRUE"})
    void aCommitSurvivesAHaltRightAfterIt(String settings) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("state/harvester") + settings;
        StateDatabase.open(url, "sa", "").close(); // the schema
        List<String> cmd = new ArrayList<>(TestHarvest.javaCommand());
        cmd.set(cmd.size() - 1, CommitThenHalt.class.getName());
        cmd.add(url);
        cmd.add("run-after-commit");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(9, p.exitValue(), out);
        assertTrue(out.contains("committed"), out);

        try (StateDatabase db = StateDatabase.open(url, "sa", ""); Connection c = db.dataSource().getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM harvest_run WHERE run_id = 'run-after-commit'")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "the commit is on disk: " + out);
        }
    }
}
