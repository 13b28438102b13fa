package io.vigil.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code --name value} options of the benchmark harnesses' {@code main} methods. */
public final class HarnessOptions {

    private HarnessOptions() {
    }

    /**
     * {@code defaults} (names without the dashes, in the order they are listed on an error) overridden by
     * {@code args}; an option not among the defaults is an error that lists the known ones.
     */
    public static Map<String, String> parse(String[] args, Map<String, String> defaults) {
        Map<String, String> options = new LinkedHashMap<>(defaults);
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--") || !options.containsKey(args[i].substring(2))) {
                throw new IllegalArgumentException("Unknown option " + args[i] + "; known: " + options.keySet());
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
