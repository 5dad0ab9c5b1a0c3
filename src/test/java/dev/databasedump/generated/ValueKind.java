package dev.databasedump.generated;

import java.util.List;

/** A column of a generated table that holds data, of a type to_json renders its own way, with a few values of it. */
enum ValueKind {
    JSON("json", "'{\"b\": 1,  \"a\": [1, 2.50]}'", "'[1, \"x\", null]'", "'\"s\"'", "'null'"),
    JSONB("jsonb", "'{\"a\": {\"b\": [true, null]}}'", "'[]'", "'3.5'", "'null'"),
    NOTE("note", "'{\"text\": \"x\"}'", "'null'"),
    TEXT_ARRAY("text[]", "'{\"a\",\"b c\",NULL}'", "'{}'"),
    INT_MATRIX("int[]", "'{{1,2},{3,4}}'", "'{}'"),
    NUMERIC("numeric", "12345678901234567890.12345678901234567890", "'NaN'", "-0.001"),
    FLOAT("float8", "'Infinity'", "'-Infinity'", "0.1"),
    PAIR("pair", "'(1,x)'", "'(,)'"),
    PAIRS("pair[]", "ARRAY['(1,a)'::pair, NULL]"),
    RANGE("int4range", "'[1,5)'", "'empty'"),
    MULTIRANGE("int4multirange", "'{[1,3),[5,7)}'"),
    MOOD("mood", "'sad'", "'happy'"),
    POSITIVE("positive", "1.5"),
    HSTORE("hstore", "'a=>1, \"b c\"=>NULL'"),
    TSVECTOR("tsvector", "'fat:2 cat:1'"),
    XML("xml", "'<a x=\"1\">y</a>'"),
    MONEY("money", "12.34"),
    BYTEA("bytea", "'\\x00ff'"),
    TIMES("timestamptz", "'2026-02-16 20:30:00.123456+02'", "'infinity'"),
    INTERVAL("interval", "'1 year 2 months 3 days 04:05:06.789'"),
    NETWORK("inet", "'192.168.0.1/24'", "'::1'"),
    MAC("macaddr", "'08:00:2b:01:02:03'"),
    BITS("bit(4)", "B'1010'");

    /** What the schema needs for the types above. */
    static final String PREAMBLE = """
            CREATE EXTENSION IF NOT EXISTS hstore;
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
            CREATE TYPE pair AS (a int, b text);
            CREATE DOMAIN positive AS numeric CHECK (VALUE >= 0);
            CREATE DOMAIN note AS json;
            """;

    final String sql;
    final List<String> literals;

    ValueKind(String sql, String... literals) {
        this.sql = sql;
        this.literals = List.of(literals);
    }
}
