package dev.databasedump.rounds;

import dev.databasedump.jobs.RoundDumps;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What a round works with, the same for every round of a replica.
 *
 * @param dumps          the tenants' dumps, each behind its tenant's lock
 * @param workers        tenants dumped at once ({@code dump.tenant.max-concurrent})
 * @param pool           the workers' threads
 * @param keysUnlessDone a look at a tenant's folder under its lock: the keys there, or empty when it holds a dump taken
 *                       since the given instant
 * @param dumpedSince    one listing of every tenant's folder: the tenants with a dump taken since the given instant
 * @param successes      told of each tenant's dump, for the oldest-success figure
 */
record RoundMeans(RoundDumps dumps, int workers, ExecutorService pool,
        BiFunction<String, Instant, Optional<Set<String>>> keysUnlessDone, Function<Instant, Set<String>> dumpedSince,
        TenantSuccesses successes) {
}
