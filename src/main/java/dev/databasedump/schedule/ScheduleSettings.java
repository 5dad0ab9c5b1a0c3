package dev.databasedump.schedule;

import dev.databasedump.settings.InvalidSettingException;
import dev.databasedump.settings.PropertyLookup;
import dev.databasedump.settings.SettingValues;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When scheduled dumps run: one per {@code period}, at period boundaries counted from {@code time} (UTC) when set,
 * else from midnight UTC, so every replica agrees on when a period starts.
 *
 * @param period how often ({@code dump.timer.period}: {@code 24h}, {@code 6h}, {@code 5s}, ...)
 * @param time   time of day the periods are counted from ({@code dump.timer.time}, e.g. {@code 03:00} for nightly)
 */
public record ScheduleSettings(Duration period, Optional<LocalTime> time) {

    /** The full dumps' schedule: {@code dump.timer.period} and {@code dump.timer.time}. */
    public static ScheduleSettings load(PropertyLookup properties) {
        return load(properties, "dump.timer.");
    }

    /** A schedule from {@code <prefix>period} and {@code <prefix>time} ({@code dump.tenant.schedule.} for rounds). */
    public static ScheduleSettings load(PropertyLookup properties, String prefix) {
        SettingValues s = new SettingValues(properties);
        Optional<LocalTime> time;
        try {
            time = s.optional(prefix + "time").map(LocalTime::parse);
        } catch (DateTimeParseException e) {
            throw new InvalidSettingException(prefix + "time", "expected a UTC time of day such as 03:00");
        }
        Duration period = s.duration(prefix + "period", "24h");
        if (period.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidSettingException(prefix + "period", "must be at least 1s, got " + period);
        }
        return new ScheduleSettings(period, time);
    }
}
