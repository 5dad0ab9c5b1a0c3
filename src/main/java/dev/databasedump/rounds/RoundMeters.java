package dev.databasedump.rounds;

import dev.databasedump.metrics.RoundFigures;

import java.util.OptionalDouble;
import java.util.function.Supplier;

/** The figures the metrics show of the rounds: the latest round's (running or not), the last finished one's end. */
final class RoundMeters implements RoundFigures {

    private final Supplier<RoundReport> latest;
    private final Supplier<RoundReport> lastFinished;
    private final TenantSuccesses successes;

    RoundMeters(Supplier<RoundReport> latest, Supplier<RoundReport> lastFinished, TenantSuccesses successes) {
        this.latest = latest;
        this.lastFinished = lastFinished;
        this.successes = successes;
    }

    @Override
    public int tenants() {
        RoundReport report = latest.get();
        return report == null ? 0 : report.tenants();
    }

    @Override
    public int done() {
        RoundReport report = latest.get();
        return report == null ? 0 : report.done();
    }

    @Override
    public int failed() {
        RoundReport report = latest.get();
        return report == null ? 0 : report.failed();
    }

    @Override
    public int skipped() {
        RoundReport report = latest.get();
        return report == null ? 0 : report.skipped();
    }

    @Override
    public double startSeconds() {
        RoundReport report = latest.get();
        return report == null || report.startedAt() == null ? 0 : report.startedAt().toEpochMilli() / 1000.0;
    }

    @Override
    public double endSeconds() {
        RoundReport finished = lastFinished.get();
        return finished == null || finished.endedAt() == null ? 0 : finished.endedAt().toEpochMilli() / 1000.0;
    }

    @Override
    public OptionalDouble oldestSuccessSeconds() {
        return successes.oldestSeconds();
    }
}
