package dev.databasedump.database;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The rows of a partitioned table that lie in some of its partitions: where a foreign key is declared on a few
 * partitions only, it holds for their rows and no others. Written as the partitions' own constraints
 * ({@code pg_get_partition_constraintdef}), so it picks the same rows out of the table and out of any relation with
 * its columns (a restore's staging copy), where {@code tableoid} would name the copy.
 *
 * @param partitions  the partitions, as people write them
 * @param constraints each partition's constraint, over the table's unqualified column names
 * @param columns     the table's columns, which the constraints may name
 */
public record PartitionSubset(List<String> partitions, List<String> constraints, List<String> columns) {

    public PartitionSubset {
        partitions = List.copyOf(partitions);
        constraints = List.copyOf(constraints);
        columns = List.copyOf(columns);
    }

    /**
     * The condition that row {@code alias} lies in one of the partitions. The constraints name bare columns, so they
     * are evaluated over a one-row relation of the row's own columns, where no other relation's columns can be meant.
     */
    public String holds(String alias) {
        return "EXISTS (SELECT FROM (SELECT " + columns.stream()
                .map(c -> alias + "." + Identifiers.quote(c) + " AS " + Identifiers.quote(c))
                .collect(Collectors.joining(", ")) + ") AS partition_row WHERE "
                + constraints.stream().map(c -> "(" + c + ")").collect(Collectors.joining(" OR ")) + ")";
    }
}
