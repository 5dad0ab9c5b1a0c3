package dev.databasedump.settings;

import java.time.Duration;
import java.util.Optional;

/**
 * Which stored dumps to keep, applied after each successful dump; nothing is deleted when both are unset.
 *
 * @param keepLast keep the N newest dumps ({@code dump.retention.keep-last})
 * @param maxAge   delete dumps older than this ({@code dump.retention.max-age}, e.g. {@code 30d})
 */
public record RetentionSettings(Optional<Integer> keepLast, Optional<Duration> maxAge) {

    public RetentionSettings {
        if (keepLast.isPresent() && keepLast.get() < 1) {
            throw new InvalidSettingException("dump.retention.keep-last", "must keep at least 1 dump");
        }
        if (maxAge.isPresent() && (maxAge.get().isNegative() || maxAge.get().isZero())) {
            throw new InvalidSettingException("dump.retention.max-age", "must be positive");
        }
    }

    public static RetentionSettings none() {
        return new RetentionSettings(Optional.empty(), Optional.empty());
    }

    public boolean enabled() {
        return keepLast.isPresent() || maxAge.isPresent();
    }
}
