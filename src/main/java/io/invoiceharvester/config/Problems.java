package io.invoiceharvester.config;

import io.invoiceharvester.model.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** Collects every configuration problem, so `check` (and a failing start) can name them all at once. */
public final class Problems {

    private final List<String> messages = new ArrayList<>();

    /** Runs one check; a ConfigException becomes a reported line and the fallback is returned. */
    public <T> T check(Supplier<T> check, T fallback) {
        try {
            return check.get();
        } catch (ConfigException e) {
            messages.add(e.getMessage());
            return fallback;
        }
    }

    /** Runs the checks of one area and throws every problem they found: for a command that needs no other area. */
    public static <T> T require(Function<Problems, T> area) {
        Problems problems = new Problems();
        T settings = area.apply(problems);
        problems.throwIfAny();
        return settings;
    }

    public void add(String message) {
        messages.add(message);
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** Throws one ConfigException listing every problem (one per line) when there is any. */
    public void throwIfAny() {
        if (!messages.isEmpty()) {
            throw new ConfigException(String.join(System.lineSeparator(), messages));
        }
    }
}
