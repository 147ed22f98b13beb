package io.invoiceharvester.config;

import io.invoiceharvester.model.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The harvester's settings, validated, one record per area: every problem of a configuration is found at once,
 * before the state database is opened or any API is called, each named by its key. The beans read settings
 * only; the routes read the user's keys as {{…}} placeholders, and values derived from them under names of
 * their own ({@link CamelProperties}). Secrets stay out of toString.
 */
public record HarvesterSettings(Path output, StateSettings state, RunSettings run, HttpSettings http, RetrySettings retry,
                                DropSettings drop, MailSettings mail, LedgerSettings ledger, AkamaiSettings akamai,
                                FastlySettings fastly, CamelSettings camel) {

    /** @throws ConfigException naming every key that is wrong */
    public static HarvesterSettings validate(HarvesterConfig cfg, Map<String, String> env) {
        Problems problems = new Problems();
        Path output = problems.check(() -> outputDir(cfg), null);
        StateSettings state = StateSettings.of(cfg, env, problems);
        RunSettings run = RunSettings.of(cfg, problems);
        HttpSettings http = HttpSettings.of(cfg, env, problems);
        RetrySettings retry = RetrySettings.of(cfg, problems);
        DropSettings drop = DropSettings.of(cfg, env, http, problems);
        MailSettings mail = MailSettings.of(cfg, env, problems);
        LedgerSettings ledger = LedgerSettings.of(cfg, env, problems);
        AkamaiSettings akamai = AkamaiSettings.of(cfg, problems);
        FastlySettings fastly = FastlySettings.of(cfg, env, problems);
        CamelSettings camel = CamelSettings.of(cfg, problems);
        if (!akamai.enabled() && !fastly.enabled()) {
            problems.add("harvester.akamai.enabled / harvester.fastly.enabled: no provider is enabled");
        }
        CamelProperties.DERIVED.forEach((derived, from) -> {
            if (cfg.isSet(derived)) {
                problems.add(derived + ": set by the harvester from " + from + "; set that instead");
            }
        });
        if (cfg.isSet(CamelProperties.DROP_CONTENT_TYPE)) {
            problems.add(CamelProperties.DROP_CONTENT_TYPE + ": fixed by the harvester (the drop takes PDFs); remove it");
        }
        problems.throwIfAny();
        return new HarvesterSettings(output, state, run, http, retry, drop, mail, ledger, akamai, fastly, camel);
    }

    /** The enabled providers, Akamai first. */
    public List<String> providers() {
        List<String> providers = new ArrayList<>();
        if (akamai.enabled()) {
            providers.add("akamai");
        }
        if (fastly.enabled()) {
            providers.add("fastly");
        }
        return List.copyOf(providers);
    }

    /** The files holding the enabled providers' credentials (a health check watches them). */
    public List<Path> credentialFiles() {
        List<Path> files = new ArrayList<>();
        if (akamai.enabled()) {
            files.add(akamai.edgerc());
        }
        if (fastly.tokenFile() != null) {
            files.add(fastly.tokenFile());
        }
        return List.copyOf(files);
    }

    @Override
    public String toString() {
        return "HarvesterSettings[providers=" + providers() + ", concurrency=" + run.concurrency() + ", output=" + output + "]";
    }

    private static Path outputDir(HarvesterConfig cfg) {
        Path dir = cfg.getPath("harvester.output.dir");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ConfigException("harvester.output.dir: " + dir + " cannot be created (" + e.getMessage() + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new ConfigException("harvester.output.dir: " + dir + " is not writable");
        }
        return dir;
    }
}
