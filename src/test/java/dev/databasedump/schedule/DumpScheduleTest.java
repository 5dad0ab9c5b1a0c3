package dev.databasedump.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** When periods start, on a clock the test moves. */
class DumpScheduleTest {

    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(String start) {
            now = Instant.parse(start);
        }

        void set(String instant) {
            now = Instant.parse(instant);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void should_start_nightly_periods_at_the_configured_utc_time() {
        MovableClock clock = new MovableClock("2026-02-16T02:59:58Z");
        DumpSchedule schedule = new DumpSchedule(
                new ScheduleSettings(Duration.ofHours(24), Optional.of(LocalTime.of(3, 0))), null, null, clock);

        assertThat(schedule.newPeriod()).as("no dump at start-up").isFalse();
        clock.set("2026-02-16T02:59:59.999Z");
        assertThat(schedule.newPeriod()).isFalse();
        clock.set("2026-02-16T03:00:00.500Z");
        assertThat(schedule.newPeriod()).isTrue();
        assertThat(schedule.startOf(schedule.periodAt(clock.instant()))).isEqualTo("2026-02-16T03:00:00Z");
        assertThat(schedule.newPeriod()).as("once per period").isFalse();
        clock.set("2026-02-17T02:00:00Z");
        assertThat(schedule.newPeriod()).isFalse();
        clock.set("2026-02-17T03:00:01Z");
        assertThat(schedule.newPeriod()).isTrue();
    }

    @Test
    void should_count_short_periods_from_midnight_so_replicas_agree() {
        MovableClock clock = new MovableClock("2026-02-16T10:00:04.900Z");
        ScheduleSettings fiveSeconds = new ScheduleSettings(Duration.ofSeconds(5), Optional.empty());
        DumpSchedule one = new DumpSchedule(fiveSeconds, null, null, clock);
        clock.set("2026-02-16T10:00:03Z");
        DumpSchedule other = new DumpSchedule(fiveSeconds, null, null, clock);

        clock.set("2026-02-16T10:00:05.100Z");

        assertThat(one.newPeriod()).isTrue();
        assertThat(other.newPeriod()).isTrue();
        assertThat(one.periodAt(clock.instant())).isEqualTo(other.periodAt(clock.instant()));
    }

    @Test
    void should_refuse_bad_schedule_settings_naming_the_key() {
        assertThatThrownBy(() -> ScheduleSettings.load(key -> Optional.ofNullable(
                Map.of("dump.timer.period", "500ms").get(key)))).hasMessageContaining("dump.timer.period");
        assertThatThrownBy(() -> ScheduleSettings.load(key -> Optional.ofNullable(
                Map.of("dump.timer.time", "3am").get(key)))).hasMessageContaining("dump.timer.time");
    }
}
