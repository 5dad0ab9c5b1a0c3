package dev.databasedump.rounds;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Each listed tenant's last success as this replica knows it: the bucket's newest dump of the tenant when a round
 * began, then the dumps it stores itself; a tenant never dumped counts from when a round first listed it, so that it
 * looks older and older until it gets a dump. The oldest of them is what one alert rule watches.
 */
final class TenantSuccesses {

    private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>();
    private final AtomicBoolean known = new AtomicBoolean();
    private final Clock clock;

    TenantSuccesses(Clock clock) {
        this.clock = clock;
    }

    /**
     * A round's list and what the bucket said of it ({@code newest}: each tenant's newest dump; empty when the bucket
     * could not be read, and the last successes then stay as they were: never a guess that hides a stale tenant).
     *
     * @return the listed tenants dumped since {@code periodStart}
     */
    Set<String> listed(List<String> tenants, Optional<Map<String, Instant>> newest, Instant periodStart) {
        lastSuccess.keySet().retainAll(new HashSet<>(tenants));
        if (newest.isEmpty()) {
            return Set.of();
        }
        Instant now = clock.instant();
        Set<String> dumpedThisPeriod = new HashSet<>();
        for (String tenant : tenants) {
            Instant stored = newest.get().get(tenant);
            if (stored != null) {
                dumped(tenant, stored);
                if (!stored.isBefore(periodStart)) {
                    dumpedThisPeriod.add(tenant);
                }
            } else {
                lastSuccess.putIfAbsent(tenant, now);
            }
        }
        known.set(true);
        return dumpedThisPeriod;
    }

    /** {@code tenant} had a dump stored at {@code at} (or later). */
    void dumped(String tenant, Instant at) {
        lastSuccess.merge(tenant, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    /** Unix time of the oldest last success; empty until a round has read its list and the bucket. */
    OptionalDouble oldestSeconds() {
        if (!known.get()) {
            return OptionalDouble.empty();
        }
        return lastSuccess.values().stream().mapToDouble(at -> at.toEpochMilli() / 1000.0).min();
    }
}
