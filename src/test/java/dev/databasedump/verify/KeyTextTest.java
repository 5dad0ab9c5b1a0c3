package dev.databasedump.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

import java.io.IOException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Two key values compare equal in verify exactly when PostgreSQL finds them equal, whatever each column's type. */
class KeyTextTest {

    @ParameterizedTest(name = "{0} {1} = {2} {3}: {4}")
    @CsvSource(delimiter = '|', value = {
        "1                                   | integer                     | 1                                   | bigint                      | true",
        "10.50                               | numeric(10,2)               | 10.5                                | numeric                     | true",
        "1                                   | integer                     | 1.000                               | numeric                     | true",
        "1.5                                 | numeric                     | 1.50001                             | numeric                     | false",
        "\"NaN\"                             | numeric                     | \"NaN\"                             | numeric                     | true",
        "\"2026-01-31\"                      | date                        | \"2026-01-31T00:00:00\"             | timestamp without time zone | true",
        "\"2026-01-31T10:00:00.5\"           | timestamp without time zone | \"2026-01-31T10:00:00.5+00:00\"     | timestamp with time zone    | true",
        "\"2026-01-31T12:00:00.5+02:00\"     | timestamp with time zone    | \"2026-01-31T10:00:00.5+00:00\"     | timestamp with time zone    | true",
        "\"2026-01-31T10:00:00\"             | timestamp without time zone | \"2026-01-31T10:00:01\"             | timestamp without time zone | false",
        "\"infinity\"                        | timestamp with time zone    | \"infinity\"                        | date                        | true",
        "\"north   \"                        | character(8)                | \"north\"                           | character(5)                | true",
        "\"North\"                           | citext                      | \"nORTH\"                           | public.citext               | true",
        "\"North\"                           | text                        | \"north\"                           | character varying(20)       | false",
        "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\" | uuid                   | \"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\" | uuid                   | true",
        "{\"street\":\"Main\",\"zip\":1.0}   | address                     | {\"street\":\"Main\",\"zip\":1}     | address                     | true",
        "[1,2,3]                             | integer[]                   | [1,2,3]                             | integer[]                   | true",
        "[1,2,3]                             | integer[]                   | [1,2]                               | integer[]                   | false"})
    void should_compare_values_as_postgres_does(String left, String leftType, String right, String rightType,
            boolean equal) throws IOException {
        assertThat(text(left, leftType).equals(text(right, rightType))).isEqualTo(equal);
    }

    private static String text(String json, String type) throws IOException {
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            parser.nextToken();
            return KeyText.read(parser, KeyText.kindOf(type));
        }
    }
}
