package dev.databasedump.document;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.databasedump.database.DatabaseInfo;

import java.util.List;
import java.util.Map;

/**
 * The {@code metadata} object at the head of every dump; its counts equal the arrays under {@code data}. Written by
 * the dump, read back by verify and restore, which also read format 1 (without column types, sequences and session
 * settings).
 *
 * @param exportedAt      when the dump started, just before its snapshot was taken, ISO-8601 UTC; the key names the
 *                        same instant
 * @param triggeredBy     who asked for it: an admin's subject over HTTP, "schedule" or "run-once"; absent when embedded
 * @param sessionSettings the settings values were written under, which a restore sets to read them back the same
 * @param tablesSummary   rows, columns and column types per table key, in document order
 * @param sequences       where each sequence of the schemas stood, by the same keys as tables
 * @param sequencesNotRead sequences of the schemas the dump's role may not read, so not in {@code sequences}: a
 *                        restore sets those a restored table owns past its rows; absent when there are none
 * @param scope           a tenant dump's tenant and how each table came to be in it; absent from a full dump
 * @param jsonNulls       where JSON null values stand in json and jsonb columns (which the rows write as they write
 *                        NULL): per table, per column, runs {@code [first, last]} of rows numbered from 1; absent when
 *                        there are none, and in dumps before format 3, whose nulls all restore as SQL NULL
 * @param jsonNullsUnrecorded columns with too many runs of JSON nulls to list ({@link JsonNulls#MOST_RUNS} in a dump),
 *                        whose JSON nulls restore as SQL NULL; absent when there are none
 */
@JsonPropertyOrder({"format_version", "exported_at", "environment", "triggered_by", "database", "schemas",
        "session_settings", "total_tables", "total_rows", "tables_summary", "sequences", "sequences_not_read", "scope",
        "json_nulls", "json_nulls_unrecorded", "duration_ms"})
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DumpMetadata(
        @JsonProperty("format_version") int formatVersion,
        @JsonProperty("exported_at") String exportedAt,
        @JsonProperty("environment") String environment,
        @JsonProperty("triggered_by") String triggeredBy,
        @JsonProperty("database") Database database,
        @JsonProperty("schemas") List<String> schemas,
        @JsonProperty("session_settings") Map<String, String> sessionSettings,
        @JsonProperty("total_tables") int totalTables,
        @JsonProperty("total_rows") long totalRows,
        @JsonProperty("tables_summary") Map<String, TableSummary> tablesSummary,
        @JsonProperty("sequences") Map<String, Sequence> sequences,
        @JsonProperty("sequences_not_read") List<String> sequencesNotRead,
        @JsonProperty("scope") ScopeMetadata scope,
        @JsonProperty("json_nulls") Map<String, Map<String, List<long[]>>> jsonNulls,
        @JsonProperty("json_nulls_unrecorded") Map<String, List<String>> jsonNullsUnrecorded,
        @JsonProperty("duration_ms") long durationMs) {

    /**
     * Bumped when the document's shape changes in a way readers must know about. 2 added column types, sequences and
     * session settings; 3 added json_nulls, without which a reader restores every null as SQL NULL.
     */
    public static final int FORMAT_VERSION = 3;

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Database(@JsonProperty("name") String name, @JsonProperty("server_version") String serverVersion) {

        public static Database of(DatabaseInfo info) {
            return new Database(info.name(), info.serverVersion());
        }
    }

    /**
     * One table's entry.
     *
     * @param columnTypes each column's type as {@code format_type} writes it, in column order (format 2)
     */
    @JsonPropertyOrder({"rows", "columns", "column_types"})
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TableSummary(@JsonProperty("rows") long rows, @JsonProperty("columns") int columns,
            @JsonProperty("column_types") Map<String, String> columnTypes) {
    }

    /** Where a sequence stood: {@code setval(seq, last_value, is_called)} puts it back. */
    @JsonPropertyOrder({"last_value", "is_called"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Sequence(@JsonProperty("last_value") long lastValue, @JsonProperty("is_called") boolean isCalled) {
    }
}
