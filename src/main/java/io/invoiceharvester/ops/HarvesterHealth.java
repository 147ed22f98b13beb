package io.invoiceharvester.ops;

import io.invoiceharvester.state.RunHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** The harvester's own health checks, next to Camel's route checks on /observe/health. */
public final class HarvesterHealth {

    private HarvesterHealth() {
    }

    /** @param credentials files the harvester reads its credentials from (may be empty) */
    public static List<HealthCheck> checks(DataSource state, RunHistory history, List<Path> credentials) {
        return List.of(
                new Check("harvester-state", (b, d) -> {
                    try (Connection c = state.getConnection()) {
                        if (c.isValid(5)) {
                            b.up();
                        } else {
                            b.down().message("the state database does not answer");
                        }
                    }
                }),
                new Check("harvester-credentials", (b, d) -> {
                    for (Path p : credentials) {
                        if (!Files.isReadable(p)) {
                            b.down().message(p + " cannot be read");
                            return;
                        }
                    }
                    b.up();
                }),
                new Check("harvester-last-run", (b, d) -> {
                    RunHistory.LastRun last = history.lastFinished();
                    if (last == null) {
                        b.up().message("no run has finished yet");
                        return;
                    }
                    d.put("run.id", last.runId());
                    d.put("run.exit.code", last.exitCode());
                    d.put("run.finished", last.finishedAt().toString());
                    d.put("run.age.seconds", Duration.between(last.finishedAt().toInstant(), Instant.now()).toSeconds());
                    if (last.exitCode() >= 2) {
                        b.down().message("the last run ended with exit code " + last.exitCode()
                                + (last.exitCode() == 2 ? " (credentials or configuration)" : " (a provider was unreachable)"));
                    } else {
                        b.up();
                    }
                }));
    }

    @FunctionalInterface
    interface Probe {
        void probe(HealthCheckResultBuilder builder, Map<String, Object> details) throws Exception;
    }

    private static final class Check extends AbstractHealthCheck {
        private final Probe probe;

        Check(String id, Probe probe) {
            super("harvester", id);
            this.probe = probe;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            Map<String, Object> details = new LinkedHashMap<>();
            try {
                probe.probe(builder, details);
            } catch (Exception e) {
                builder.down().message(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            builder.details(details);
        }
    }
}
