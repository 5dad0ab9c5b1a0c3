package dev.databasedump.generated;

import dev.databasedump.generated.GeneratedSchema.FkSpec;
import dev.databasedump.generated.GeneratedSchema.Partitioning;
import dev.databasedump.generated.GeneratedSchema.TableSpec;

import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Arbitrary multi-tenant schemas with their rows, small enough that a run is seconds and a shrunk counterexample is
 * read at a glance: two to five tables of at most six rows, up to two foreign keys each, up to three value columns.
 */
public final class Schemas {

    static final int MOST_TABLES = 5;

    private Schemas() {
    }

    public static Arbitrary<GeneratedSchema> schemas() {
        Arbitrary<String> tenantType = Arbitraries.of("bigint", "integer", "uuid", "text");
        return Arbitraries.integers().between(2, MOST_TABLES).flatMap(count -> Combinators.combine(tenantType,
                Arbitraries.of(true, false), table(count).list().ofSize(count), Arbitraries.longs())
                .as(GeneratedSchema::new))
                // A tenant needs something to be told apart by.
                .filter(schema -> schema.tenantTable() || schema.tables().stream().anyMatch(TableSpec::tenantColumn));
    }

    private static Arbitrary<TableSpec> table(int tables) {
        Arbitrary<KeyType> key = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(KeyType.class)), Tuple.of(1,
                        Arbitraries.just(null)));
        Arbitrary<Boolean> often = Arbitraries.frequency(Tuple.of(3, true), Tuple.of(2,
                false));
        Arbitrary<Boolean> seldom = Arbitraries.frequency(Tuple.of(1, true), Tuple.of(3,
                false));
        Arbitrary<Partitioning> partitioning = Arbitraries.frequency(Tuple.of(5, Partitioning.NONE),
                Tuple.of(1, Partitioning.BY_PART), Tuple.of(1, Partitioning.BY_TENANT));
        Arbitrary<Tuple2<List<FkSpec>, Integer>> keysAndRows = Combinators.combine(fk(tables).list().ofMaxSize(2),
                Arbitraries.integers().between(0, 6)).as(Tuple::of);
        return Combinators.combine(key, seldom, often, seldom, partitioning, Arbitraries.of(true, false),
                Arbitraries.of(ValueKind.class).list().ofMaxSize(3), keysAndRows)
                .as((k, unique, tenant, tenantKey, parts, onPartitions, values, fksAndRows) -> new TableSpec(k,
                        // A unique pair must hold the partition column; partitioned tables have none.
                        unique && k != null && parts == Partitioning.NONE, tenant || parts == Partitioning.BY_TENANT,
                        tenantKey, parts, onPartitions, values, fksAndRows.get1(), fksAndRows.get2()));
    }

    private static Arbitrary<FkSpec> fk(int tables) {
        return Combinators.combine(Arbitraries.integers().between(0, tables - 1), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 3), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as(FkSpec::new);
    }
}
