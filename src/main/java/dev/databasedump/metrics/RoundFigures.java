package dev.databasedump.metrics;

import java.util.OptionalDouble;

/** What the rounds of tenant dumps show operations: the latest round's counts and times, and the oldest success. */
public interface RoundFigures {

    /** Tenants in the latest round's list. */
    int tenants();

    int done();

    int failed();

    int skipped();

    /** Unix time the latest round started; 0 before the first. */
    double startSeconds();

    /** Unix time the latest finished round ended; 0 before the first. */
    double endSeconds();

    /**
     * Unix time of the oldest last success among the listed tenants (a tenant never dumped counts from when a round
     * first listed it); empty until a round has read its list and the bucket.
     */
    OptionalDouble oldestSuccessSeconds();
}
