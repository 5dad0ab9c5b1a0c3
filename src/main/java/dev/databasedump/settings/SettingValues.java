package dev.databasedump.settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Reads {@code dump.} values as people write them; every parse error names its key. A blank value means unset. */
public record SettingValues(PropertyLookup properties) {

    /** The trimmed value, empty when unset or blank. */
    public Optional<String> optional(String key) {
        return properties.find(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String text(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    public Optional<Duration> optionalDuration(String key) {
        return optional(key).map(value -> duration(key, value));
    }

    public List<String> list(String key, String defaultValue) {
        return Arrays.stream(text(key, defaultValue).split(","))
                .map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    public boolean bool(String key, boolean defaultValue) {
        String value = text(key, String.valueOf(defaultValue));
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new InvalidSettingException(key, "expected true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    public long longNumber(String key, long defaultValue) {
        String value = text(key, String.valueOf(defaultValue));
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, "expected a whole number, got '" + value + "'");
        }
    }

    public Optional<URI> uri(String key) {
        String value = text(key, "");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value);
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new InvalidSettingException(key, "expected an http(s)://host[:port] URL, got '" + value + "'");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw new InvalidSettingException(key, "expected an http(s)://host[:port] URL, got '" + value + "'");
        }
    }

    /** Durations as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 30d}. */
    public Duration duration(String key, String defaultValue) {
        String value = text(key, defaultValue).toLowerCase();
        try {
            if (value.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new InvalidSettingException(key,
                    "expected a duration such as 30s, 5m, 24h, 30d or 500ms, got '" + value + "'");
        }
    }
}
