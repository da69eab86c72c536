package dev.conductor.benchmarks;

import java.util.HashMap;
import java.util.Map;

/** {@code --name=value} command-line options with defaults; unknown names are an error, not a silent typo. */
final class Args {

    private final Map<String, String> values = new HashMap<>();

    private Args() {
    }

    static Args parse(String[] args, String... known) {
        Args parsed = new Args();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (!arg.startsWith("--") || equals < 0) {
                throw new IllegalArgumentException("Expected --name=value, got '" + arg + "'");
            }
            String name = arg.substring(2, equals);
            if (!java.util.List.of(known).contains(name)) {
                throw new IllegalArgumentException("Unknown option --" + name + "; known: " + String.join(", ", known));
            }
            parsed.values.put(name, arg.substring(equals + 1));
        }
        return parsed;
    }

    int intValue(String name, int fallback) {
        String value = values.get(name);
        return value == null ? fallback : Integer.parseInt(value);
    }

    long longValue(String name, long fallback) {
        String value = values.get(name);
        return value == null ? fallback : Long.parseLong(value);
    }

    String value(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }
}
