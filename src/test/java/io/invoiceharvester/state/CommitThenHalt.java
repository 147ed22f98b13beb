package io.invoiceharvester.state;

import java.sql.Connection;
import java.sql.Statement;

/**
 * A JVM of its own (H2DurabilityTest): opens the state database as the harvester does, commits one run
 * row, says so, and halts at once, as kill -9 would end it.
 */
public final class CommitThenHalt {

    private CommitThenHalt() {
    }

    public static void main(String[] args) throws Exception {
        StateDatabase db = StateDatabase.open(args[0], "sa", "");
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO harvest_run (run_id, run_trigger, months, started_at) VALUES ('" + args[1]
                    + "', 'test', '2021-01', CURRENT_TIMESTAMP)");
        }
        System.out.println("committed");
        System.out.flush();
        Runtime.getRuntime().halt(9);
    }
}
