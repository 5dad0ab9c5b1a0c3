package dev.databasedump.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.databasedump.document.DumpMetadata;

import java.util.List;

/**
 * What a finished dump reports: where it is, how big, its SHA-256 (of the stored bytes), whether it is encrypted and
 * to whom, and its metadata (never its data).
 *
 * @param encrypted  true for a dump encrypted to age recipients; absent otherwise
 * @param recipients the public keys ({@code age1…}) it is encrypted to; absent when not encrypted
 */
@JsonPropertyOrder({"bucket", "key", "size_bytes", "sha256", "encrypted", "recipients", "metadata"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DumpSummary(
        @JsonProperty("bucket") String bucket,
        @JsonProperty("key") String key,
        @JsonProperty("size_bytes") long sizeBytes,
        @JsonProperty("sha256") String sha256,
        @JsonProperty("encrypted") Boolean encrypted,
        @JsonProperty("recipients") List<String> recipients,
        @JsonProperty("metadata") DumpMetadata metadata) {
}
