package io.invoiceharvester.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.invoiceharvester.HarvestTestSupport;
import io.invoiceharvester.TestHarvest.StateDb;
import io.invoiceharvester.config.Schedule;
import io.invoiceharvester.state.StateDatabase;
import io.invoiceharvester.state.StateReport;
import io.invoiceharvester.summary.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The series the alert rules watch come from the state database, not from the process that scrapes:
 * a node that never ran a harvest (a cluster's standby, a restarted service) reports the same, and
 * every series is there before the first run.
 */
class StateGaugesTest extends HarvestTestSupport {

    private static MeterRegistry gauges(StateDatabase state, Path output) {
        MeterRegistry r = new SimpleMeterRegistry();
        new StateGauges(new StateReport(state.dataSource()), new Outbox(output, null), new Schedule("0 0 6 * * ?", ZoneId.of("UTC")),
                Duration.ofHours(6)).register(r);
        return r;
    }

    private static double gauge(MeterRegistry r, String name, String... tags) {
        return r.get(name).tags(tags).gauge().value();
    }

    @ParameterizedTest
    @EnumSource(StateDb.class)
    void theAlertsSeriesAreReadFromTheStateDatabaseAndExistBeforeTheFirstRun(StateDb db) throws Exception {
        on(db);
        try (StateDatabase state = h.openState()) {
            MeterRegistry fresh = gauges(state, h.out());
            assertEquals(0, gauge(fresh, "harvester_last_success_timestamp_seconds"));
            assertEquals(-1, gauge(fresh, "harvester_last_run_exit_code"));
            assertEquals(0, gauge(fresh, "harvester_consecutive_failed_runs"));
            assertEquals(0, fresh.get("harvester_runs").tags("exit_code", "0").functionCounter().count());
            assertEquals(1, gauge(fresh, "harvester_state_database_up"));
            assertTrue(gauge(fresh, "harvester_schedule_next_firing_timestamp_seconds")
                    > gauge(fresh, "harvester_schedule_previous_firing_timestamp_seconds"), "06:00 every day");
            assertEquals(86_400, gauge(fresh, "harvester_schedule_next_firing_timestamp_seconds")
                    - gauge(fresh, "harvester_schedule_previous_firing_timestamp_seconds"));

            // a success, then a run that failed, one that died without a record, and one in progress holding the lock
            h.execute("INSERT INTO harvest_run (run_id, run_trigger, months, started_at, finished_at, exit_code, files_listed,"
                    + " files_new, files_failed, bytes) VALUES ('r1', 'schedule', '2025-01', CURRENT_TIMESTAMP - INTERVAL '4' HOUR,"
                    + " CURRENT_TIMESTAMP - INTERVAL '4' HOUR, 0, 3, 3, 0, 300)");
            h.execute("INSERT INTO harvest_run (run_id, run_trigger, months, started_at, finished_at, exit_code, files_listed,"
                    + " files_new, files_failed, bytes) VALUES ('r2', 'schedule', '2025-01', CURRENT_TIMESTAMP - INTERVAL '3' HOUR,"
                    + " CURRENT_TIMESTAMP - INTERVAL '3' HOUR, 1, 5, 4, 1, 400)");
            h.execute("INSERT INTO harvest_run (run_id, run_trigger, months, started_at) VALUES ('r3', 'schedule', '2025-01',"
                    + " CURRENT_TIMESTAMP - INTERVAL '2' HOUR)");
            h.execute("INSERT INTO harvest_run (run_id, run_trigger, months, started_at) VALUES ('r4', 'schedule', '2025-01',"
                    + " CURRENT_TIMESTAMP - INTERVAL '1' HOUR)");
            h.execute("INSERT INTO run_lock (name, holder, host, pid, acquired_at, heartbeat_at, expires_at) VALUES ('harvest', 'r4',"
                    + " 'elsewhere', 1, CURRENT_TIMESTAMP - INTERVAL '1' HOUR, CURRENT_TIMESTAMP - INTERVAL '10' MINUTE,"
                    + " CURRENT_TIMESTAMP - INTERVAL '5' MINUTE)");
            Files.createDirectories(h.out().resolve("outbox/refused"));
            Files.writeString(h.out().resolve("outbox/summary-1.eml"), "queued");
            Files.writeString(h.out().resolve("outbox/refused/summary-0.eml"), "refused");

            MeterRegistry standby = gauges(state, h.out()); // a node that ran none of them
            assertEquals(2, gauge(standby, "harvester_consecutive_failed_runs"), "r2 failed, r3 died; r4 is running");
            assertEquals(1, gauge(standby, "harvester_last_run_exit_code"));
            assertEquals(4, gauge(standby, "harvester_last_run_files", "files", "new"));
            assertEquals(400, gauge(standby, "harvester_last_run_bytes"));
            assertEquals(1, gauge(standby, "harvester_run_in_progress"));
            double running = gauge(standby, "harvester_run_duration_seconds");
            assertTrue(running > 3500 && running < 3700, "an hour on the database's clock: " + running);
            assertEquals(1, gauge(standby, "harvester_lock_held"));
            double lease = gauge(standby, "harvester_lock_lease_remaining_seconds");
            assertTrue(lease < -250 && lease > -350, "five minutes past its lease: " + lease);
            double success = gauge(standby, "harvester_last_success_timestamp_seconds");
            assertTrue(Math.abs(success - (System.currentTimeMillis() / 1000.0 - 4 * 3600)) < 120, "r1's end: " + success);
            assertEquals(1, standby.get("harvester_runs").tags("exit_code", "0").functionCounter().count());
            assertEquals(1, standby.get("harvester_runs").tags("exit_code", "1").functionCounter().count());
            assertEquals(1, standby.get("harvester_runs").tags("exit_code", "unfinished").functionCounter().count());
            assertEquals(1, gauge(standby, "harvester_waiting", "what", "outbox_mails"));
            assertEquals(1, gauge(standby, "harvester_waiting", "what", "refused_mails"));

            state.close(); // the database goes away: the last values stay, and say so
            MeterRegistry cut = standby;
            Thread.sleep(StateGauges.FRESH.toMillis() + 100);
            assertEquals(0, gauge(cut, "harvester_state_database_up"));
            assertEquals(2, gauge(cut, "harvester_consecutive_failed_runs"));
        }
    }
}
