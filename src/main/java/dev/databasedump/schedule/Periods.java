package dev.databasedump.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Periods of a schedule, numbered from an anchor in UTC, so that every replica agrees on when each one starts: the
 * full dumps' ({@code dump.timer.}) and the tenant rounds' ({@code dump.tenant.schedule.}).
 *
 * @param length how long each period is
 * @param anchor an instant where a period starts (the time of day the settings give, on 1970-01-01)
 */
public record Periods(Duration length, Instant anchor) {

    public static Periods of(ScheduleSettings settings) {
        return new Periods(settings.period(), settings.time().orElse(LocalTime.MIDNIGHT).atDate(LocalDate.EPOCH)
                .toInstant(ZoneOffset.UTC));
    }

    /** The number of the period {@code instant} is in. */
    public long at(Instant instant) {
        return Math.floorDiv(instant.toEpochMilli() - anchor.toEpochMilli(), length.toMillis());
    }

    /** When period {@code period} starts. */
    public Instant startOf(long period) {
        return anchor.plusMillis(period * length.toMillis());
    }
}
