package dev.databasedump.generated;

import java.util.List;

/**
 * The type of a generated table's key, the types a foreign key may give its own columns when it references one (the
 * pairs PostgreSQL allows that have different types: integer to bigint, varchar to text, numeric(10,2) to numeric,
 * date to timestamp), and the n-th value of a key, which fits every one of them.
 */
enum KeyType {
    INTEGER("integer", List.of("integer", "bigint")),
    BIGINT("bigint", List.of("bigint", "integer")),
    UUID("uuid", List.of("uuid")),
    TEXT("text", List.of("text", "varchar(20)")),
    NUMERIC("numeric", List.of("numeric", "numeric(10,2)")),
    TIMESTAMP("timestamp", List.of("timestamp", "date")),
    DATE("date", List.of("date"));

    final String sql;
    /** The types a referencing column may have; the first is the key's own. */
    final List<String> referencing;

    KeyType(String sql, List<String> referencing) {
        this.sql = sql;
        this.referencing = referencing;
    }

    /** The n-th value (n from 1) as an SQL literal that every referencing type reads as the same value. */
    String literal(int n) {
        return switch (this) {
            case INTEGER, BIGINT -> Integer.toString(n);
            case UUID -> String.format("'00000000-0000-4000-8000-%012d'", n);
            case TEXT -> "'k" + n + (n % 3 == 0 ? " é/\"''" : "") + "'";
            case NUMERIC -> n + ".50";
            // Midnight: a date names the same instant.
            case TIMESTAMP, DATE -> "'2026-01-01'::date + " + n;
        };
    }
}
