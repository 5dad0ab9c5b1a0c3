package dev.databasedump.verify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * A key column's value, as the document holds it ({@code to_json} of the column), turned into text that is equal
 * exactly when PostgreSQL finds the two values equal, so that a foreign key whose two ends have different types
 * (integer to bigint, numeric(10,2) to numeric, date to timestamp, varchar to text) resolves as it does in the
 * database. The kind of comparison follows the column's type, as {@code format_type} wrote it in the metadata.
 */
final class KeyText {

    /** How values of a type compare. */
    enum Kind {
        /** Integers, numeric, floating point: by value (1, 1.0 and 1.00 alike); NaN and infinities as named. */
        NUMBER,
        /** date, timestamp, timestamptz: as an instant, a date at its midnight (the dump's time zone is UTC). */
        TIMESTAMP,
        /** citext: without regard to case. */
        CASELESS,
        /** character(n): without its trailing blanks, which bpchar's equality ignores. */
        PADDED,
        /** Everything else (text, uuid, enums, arrays, composites): by its JSON, numbers in it by value. */
        EXACT
    }

    private KeyText() {
    }

    /** The kind of a column of type {@code type} ({@code format_type}'s text); EXACT when the type is unknown. */
    static Kind kindOf(String type) {
        if (type == null || type.endsWith("[]")) {
            return Kind.EXACT;
        }
        String base = type.toLowerCase(Locale.ROOT);
        int modifier = base.indexOf('(');
        if (modifier >= 0) {
            base = (base.substring(0, modifier) + base.substring(base.indexOf(')') + 1)).strip();
        }
        return switch (base) {
            case "smallint", "integer", "bigint", "numeric", "real", "double precision" -> Kind.NUMBER;
            case "date", "timestamp without time zone", "timestamp with time zone" -> Kind.TIMESTAMP;
            case "citext" -> Kind.CASELESS;
            case "character" -> Kind.PADDED;
            default -> base.endsWith(".citext") ? Kind.CASELESS : Kind.EXACT;
        };
    }

    /**
     * The value at the parser's current token (its first, for an object or an array, which is read to its end), or
     * null for JSON null: a NULL column references nothing.
     */
    static String read(JsonParser parser, Kind kind) throws IOException {
        JsonToken token = parser.currentToken();
        return switch (token) {
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "n" + number(parser.getText());
            case VALUE_STRING -> text(parser.getText(), kind);
            case START_OBJECT, START_ARRAY -> {
                StringBuilder json = new StringBuilder("j");
                structure(parser, json);
                yield json.toString();
            }
            default -> "j" + parser.getText();
        };
    }

    private static String text(String value, Kind kind) {
        return switch (kind) {
            case TIMESTAMP -> instant(value);
            case CASELESS -> "s" + value.toLowerCase(Locale.ROOT);
            case PADDED -> "s" + value.stripTrailing();
            // NaN and the infinities: to_json writes them as strings; a number column's are compared as named.
            case NUMBER, EXACT -> "s" + value;
        };
    }

    private static String number(String text) {
        return new BigDecimal(text).stripTrailingZeros().toPlainString();
    }

    // to_json writes a date as 2026-02-16, a timestamp as 2026-02-16T20:30:00.5, a timestamptz with its offset (+00:00
    // in the dump's UTC); PostgreSQL compares them as instants. Anything else (infinity, years BC) as written.
    private static String instant(String value) {
        try {
            if (value.length() == 10) {
                return "t" + LocalDate.parse(value).atStartOfDay();
            }
            int time = value.indexOf('T');
            boolean offset = time > 0 && (value.indexOf('+', time) > 0 || value.indexOf('-', time) > 0);
            return "t" + (offset ? OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
                    : LocalDateTime.parse(value));
        } catch (DateTimeParseException e) {
            return "s" + value;
        }
    }

    // An object or an array as compact JSON, its numbers by value; the parser ends on its closing token.
    private static void structure(JsonParser parser, StringBuilder json) throws IOException {
        boolean object = parser.currentToken() == JsonToken.START_OBJECT;
        json.append(object ? '{' : '[');
        boolean first = true;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_OBJECT && token != JsonToken.END_ARRAY) {
            if (!first) {
                json.append(',');
            }
            first = false;
            if (object) {
                quoted(parser.currentName(), json).append(':');
                token = parser.nextToken();
            }
            switch (token) {
                case START_OBJECT, START_ARRAY -> structure(parser, json);
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> json.append(number(parser.getText()));
                case VALUE_STRING -> quoted(parser.getText(), json);
                default -> json.append(parser.getText());
            }
        }
        json.append(object ? '}' : ']');
    }

    private static StringBuilder quoted(String text, StringBuilder json) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\');
            }
            json.append(c);
        }
        return json.append('"');
    }
}
