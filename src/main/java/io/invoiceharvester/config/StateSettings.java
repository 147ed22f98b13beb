package io.invoiceharvester.config;

import io.invoiceharvester.state.StateDatabase;
import java.time.Duration;
import java.util.Map;

/** The state database (harvester.state.url, .username, .password) and the lease of its run lock (harvester.run-lock.lease). */
public record StateSettings(String url, String username, String password, Duration lockLease) {

    static StateSettings of(HarvesterConfig cfg, Map<String, String> env, Problems problems) {
        String password = problems.check(() -> cfg.getSecret("harvester.state.password", null, env), "");
        Duration lease = problems.check(() -> cfg.getDuration("harvester.run-lock.lease"), Duration.ofMinutes(5));
        return new StateSettings(cfg.get("harvester.state.url"), cfg.get("harvester.state.username"), password, lease);
    }

    /** For an operator command, which needs no other area: @throws ConfigException naming every key that is wrong */
    public static StateSettings of(HarvesterConfig cfg, Map<String, String> env) {
        return Problems.require(problems -> of(cfg, env, problems));
    }

    public StateDatabase open() {
        return StateDatabase.open(url, username, password);
    }

    /** For a command that changes nothing (no pool, no migration of a current schema). */
    public StateDatabase openForReading() {
        return StateDatabase.openForReading(url, username, password);
    }

    @Override
    public String toString() {
        return "StateSettings[url=" + url + ", username=" + username + ", lockLease=" + lockLease + "]";
    }
}
