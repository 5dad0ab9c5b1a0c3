package dev.databasedump;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import dev.databasedump.support.ChildApplication;
import dev.databasedump.support.DumpApplication;
import dev.databasedump.support.S3ProxyServer;
import dev.databasedump.support.StoredDump;
import dev.databasedump.support.TestDatabase;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The artifact operators run: target/database-dump.jar from `mvn package`, started with `java -jar`. */
class PackagedJarIT {

    @TempDir
    Path work;

    @Test
    void should_keep_its_settings_and_routes_out_of_an_embedding_hosts_way() throws Exception {
        try (JarFile jar = new JarFile(Path.of("target", "database-dump.jar").toFile())) {
            List<String> entries = jar.stream().map(JarEntry::getName).toList();

            assertThat(entries).contains("database-dump/application.properties",
                    "database-dump/routes/database-dump.camel.yaml");
            assertThat(entries).doesNotContain("application.properties", "log4j2.properties", "log4j2.xml")
                    .noneMatch(name -> name.startsWith("routes/") || name.startsWith("camel/"));
        }
    }

    @Test
    void should_run_one_dump_with_java_jar_and_exit_zero() throws Exception {
        Path jar = Path.of("target", "database-dump.jar");
        assertThat(jar).exists();
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.createBucket();
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("CREATE TABLE cases (id int PRIMARY KEY)", "INSERT INTO cases VALUES (1), (2)");
            Map<String, String> env = ChildApplication.environmentOf(DumpApplication.settings(db, bucket, work));
            env.put("DUMP_RUN_ONCE", "true");
            File out = work.resolve("out.txt").toFile();
            File err = work.resolve("err.txt").toFile();
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()))
                    .redirectOutput(out).redirectError(err);
            builder.environment().putAll(env);
            Process process = builder.start();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String stdout = Files.readString(out.toPath(), StandardCharsets.UTF_8);
            String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);

            assertThat(process.exitValue()).as(stderr).isZero();
            List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
            JsonNode summary = StoredDump.EXACT_JSON.readTree(lines.get(lines.size() - 1));
            assertThat(summary.at("/metadata/total_rows").asLong()).isEqualTo(2);
            assertThat(StoredDump.keys(s3.client(), bucket)).contains(summary.get("key").asText());
            // Run-once mode starts the dump (with the verify route beside it) and its trigger only: no HTTP
            // server, no schedule, and no restore route without a restore target.
            assertThat(stderr.lines().filter(line -> line.matches(".*\\]\\s+Started \\S+ \\(.*")))
                    .extracting(line -> line.replaceAll(".*Started (\\S+) .*", "$1"))
                    .containsExactlyInAnyOrder("database-dump", "database-verify", "database-dump-run-once");
            assertThat(stderr).doesNotContainIgnoringCase("http server").doesNotContain("platform-http");
        }
    }

    @Test
    void should_run_one_dump_with_the_launcher_from_its_class_data_sharing_archive() throws Exception {
        Path launcher = Path.of("target", "database-dump");
        assertThat(launcher).isExecutable();
        assertThat(Path.of("target", "database-dump.jsa")).as("the archive mvn package records").exists();
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.createBucket();
        Path classes = work.resolve("classes.txt");
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("CREATE TABLE cases (id int PRIMARY KEY)", "INSERT INTO cases VALUES (1), (2), (3)");
            Map<String, String> env = ChildApplication.environmentOf(DumpApplication.settings(db, bucket, work));
            env.put("DUMP_RUN_ONCE", "true");
            env.put("JAVA_HOME", System.getProperty("java.home"));
            // Where each class came from, in a file: stdout stays the summary's.
            env.put("JAVA_OPTS", "-Xlog:class+load=info:file=" + classes);
            File out = work.resolve("out.txt").toFile();
            File err = work.resolve("err.txt").toFile();
            ProcessBuilder builder = new ProcessBuilder(List.of(launcher.toString())).redirectOutput(out)
                    .redirectError(err);
            builder.environment().putAll(env);
            Process process = builder.start();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String stdout = Files.readString(out.toPath(), StandardCharsets.UTF_8);

            assertThat(process.exitValue()).as(Files.readString(err.toPath(), StandardCharsets.UTF_8)).isZero();
            List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).as("stdout: the summary, and nothing of the JVM's").hasSize(1);
            assertThat(StoredDump.EXACT_JSON.readTree(lines.get(0)).at("/metadata/total_rows").asLong()).isEqualTo(3);
            assertThat(Files.readAllLines(classes)).as("classes of ours and of the libraries came from the archive")
                    .anyMatch(l -> l.contains(" dev.databasedump.App ") && l.contains("shared objects file"))
                    .anyMatch(l -> l.contains(" org.apache.camel.main.Main ") && l.contains("shared objects file"));
        }
    }
}
