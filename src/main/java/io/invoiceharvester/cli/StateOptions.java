package io.invoiceharvester.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.invoiceharvester.config.HarvesterConfig;
import io.invoiceharvester.config.StateSettings;
import io.invoiceharvester.state.RunLock;
import io.invoiceharvester.state.StateDatabase;
import io.invoiceharvester.values.Amounts;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What an operator command reading the state takes: the configuration (for the state database and the
 * output folder only; no provider setting is needed) and --json for scripts.
 */
public class StateOptions {

    @Mixin
    ConfigOptions config;

    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    private StateSettings stateSettings;

    HarvesterConfig load() {
        return config.load();
    }

    StateDatabase open(HarvesterConfig cfg) {
        return state(cfg).open();
    }

    /** For a command that changes nothing: opens in a fraction of the time (no pool, no migration of a current schema). */
    StateDatabase openForReading(HarvesterConfig cfg) {
        return state(cfg).openForReading();
    }

    /** The run lock under the configured lease (harvester.run-lock.lease), as the harvester itself takes it. */
    RunLock runLock(HarvesterConfig cfg, StateDatabase state) {
        return new RunLock(state, state(cfg).lockLease());
    }

    /** The state area's settings, validated once per command (its password may be read from a file). */
    private StateSettings state(HarvesterConfig cfg) {
        if (stateSettings == null) {
            stateSettings = StateSettings.of(cfg, ConfigOptions.environment());
        }
        return stateSettings;
    }

    Path outputDir(HarvesterConfig cfg) {
        return cfg.getPath("harvester.output.dir");
    }

    /**
     * Times as ISO 8601, money as the ledger writes it (a plain number, at least two decimals, no padding);
     * built on first use: Jackson's start is a quarter of a second a table does not need.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
                .registerModule(new SimpleModule().addSerializer(BigDecimal.class,
                        new StdSerializer<>(BigDecimal.class) {
                            @Override
                            public void serialize(BigDecimal value, JsonGenerator gen,
                                                  SerializerProvider provider) throws IOException {
                                gen.writeNumber(Amounts.money(value));
                            }
                        }))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Prints the value as JSON; for the table form, the command prints itself. */
    static void printJson(PrintWriter out, Object value) {
        try {
            out.println(Json.MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }
}
