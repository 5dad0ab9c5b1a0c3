package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.AgeKeys;
import dev.databasedump.support.ChildApplication;
import dev.databasedump.support.ChildApplication.Result;
import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.S3ProxyServer;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Memory does not grow with the data: about 1 GB of JSON from one table, dumped and then restored, then dumped
 * encrypted and verified through decryption, each in a JVM capped at 256 MB of heap.
 */
class BoundedMemoryTest {

    private static final int ROWS = 2_000_000;

    @TempDir
    Path work;

    @Test
    void should_dump_restore_encrypt_and_verify_two_million_rows_of_about_a_gigabyte_with_a_256_megabyte_heap()
            throws Exception {
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.createBucket();
        String table = "CREATE TABLE audit_log (id bigint PRIMARY KEY, at timestamptz, actor uuid, action text,"
                + " payload jsonb, note text)";
        try (TestDatabase db = TestDatabase.create(); TestDatabase target = TestDatabase.create()) {
            target.execute(table);
            db.execute(table,
                    "INSERT INTO audit_log SELECT g, timestamptz '2026-01-01' + g * interval '1 second',"
                            + " md5(g::text)::uuid, 'update', jsonb_build_object('case', g % 977, 'n', g),"
                            + " repeat('x', 370) FROM generate_series(1, " + ROWS + ") g");
            Path spool = Files.createDirectory(work.resolve("spool"));
            Map<String, String> env = ChildApplication.environmentOf(DumpApplication.settings(db, bucket, spool));
            env.put("DUMP_RUN_ONCE", "true");
            env.put("DUMP_S3_PART_SIZE", String.valueOf(16 * 1024 * 1024));

            Result result = ChildApplication.run(env, "256m", work, 300);

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            JsonNode summary = StoredDump.EXACT_JSON.readTree(result.lastStdoutLine());
            assertThat(summary.at("/metadata/total_rows").asLong()).isEqualTo(ROWS);
            assertThat(summary.get("size_bytes").asLong()).isGreaterThan(1_000_000_000L);
            assertThat(sha256Of(s3, bucket, summary.get("key").asText())).isEqualTo(summary.get("sha256").asText());
            assertThat(spool).isEmptyDirectory();

            env.remove("DUMP_RUN_ONCE");
            env.put("DUMP_RESTORE_DB_URL", target.url());
            Result restored = ChildApplication.run(env, "256m", work, 300, "restore", summary.get("key").asText());

            assertThat(restored.exitCode()).as(restored.stderr()).isZero();
            assertThat(StoredDump.EXACT_JSON.readTree(restored.lastStdoutLine()).get("rows").asLong()).isEqualTo(ROWS);
            String everyRow = "SELECT sum(hashtextextended(to_json(a.*)::text, 0) % 1000000007) FROM audit_log a";
            assertThat(target.count("SELECT count(*) FROM audit_log")).isEqualTo(ROWS);
            assertThat(target.count(everyRow)).isEqualTo(db.count(everyRow));

            // Encrypted as it is assembled, and read back through decryption, in the same heap. The test store keeps
            // everything in memory: the first dump makes room for the second.
            for (String key : StoredDump.keys(s3.client(), bucket)) {
                s3.client().deleteObject(b -> b.bucket(bucket).key(key));
            }
            AgeKeys keys = AgeKeys.generate(Files.createDirectory(work.resolve("keys")), "key");
            env.remove("DUMP_RESTORE_DB_URL");
            env.put("DUMP_RUN_ONCE", "true");
            env.put("DUMP_ENCRYPTION_RECIPIENTS", keys.publicKey());
            Result encrypted = ChildApplication.run(env, "256m", work, 300);
            assertThat(encrypted.exitCode()).as(encrypted.stderr()).isZero();
            JsonNode encryptedSummary = StoredDump.EXACT_JSON.readTree(encrypted.lastStdoutLine());
            assertThat(encryptedSummary.get("size_bytes").asLong()).isGreaterThan(1_000_000_000L);
            assertThat(spool).isEmptyDirectory();

            env.remove("DUMP_RUN_ONCE");
            env.put("DUMP_ENCRYPTION_IDENTITY_FILE", keys.identityFile().toString());
            Result verified = ChildApplication.run(env, "256m", work, 300, "verify",
                    encryptedSummary.get("key").asText());
            assertThat(verified.exitCode()).as(verified.stderr()).isZero();
            JsonNode report = StoredDump.EXACT_JSON.readTree(verified.lastStdoutLine());
            assertThat(report.get("document_checked").asBoolean()).isTrue();
            assertThat(report.get("total_rows").asLong()).isEqualTo(ROWS);
        }
    }

    private static String sha256Of(S3ProxyServer s3, String bucket, String key) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(
                s3.client().getObject(GetObjectRequest.builder().bucket(bucket).key(key).build()), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
