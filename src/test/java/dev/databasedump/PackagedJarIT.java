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
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifacts operators run: target/database-dump.jar from `mvn package`, started with `java -jar`, and the launcher
 * target/database-dump with the ahead-of-time cache the build trains for Java 25.
 */
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
    void should_run_one_dump_with_the_launcher_from_its_ahead_of_time_cache_on_java_25() throws Exception {
        Path launcher = Path.of("target", "database-dump");
        assertThat(launcher).isExecutable();
        Path classes = work.resolve("classes.txt");

        Launched run = launch(launcher, System.getProperty("java.home"), "-Xlog:class+load=info:file=" + classes);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.summary().at("/metadata/total_rows").asLong()).isEqualTo(3);
        if (Runtime.version().feature() >= 25) {
            assertThat(Path.of("target", "database-dump.aot")).as("the cache mvn package trains").exists();
            assertThat(run.launcherLines()).as("nothing said of Java or of the cache").isEmpty();
            assertThat(Files.readAllLines(classes)).as("classes of ours and of the libraries came from the cache")
                    .anyMatch(l -> l.contains(" dev.databasedump.App ") && l.contains("shared objects file"))
                    .anyMatch(l -> l.contains(" org.apache.camel.main.Main ") && l.contains("shared objects file"));
        } else {
            assertThat(run.launcherLines()).as("an older Java runs it, saying so in one line").singleElement()
                    .asString().startsWith("database-dump: running on Java " + Runtime.version().feature() + " (")
                    .contains("set JAVA_HOME");
        }
    }

    @Test
    void should_start_without_a_cache_trained_for_another_jar_or_java_saying_so_in_at_most_one_line()
            throws Exception {
        Path cache = Path.of("target", "database-dump.aot");
        if (Runtime.version().feature() < 25) {
            assertThat(launch(Path.of("target", "database-dump"), System.getProperty("java.home"), "")
                    .launcherLines()).hasSize(1);
            return;
        }
        assertThat(cache).exists();
        Path copy = Files.createDirectory(work.resolve("service"));
        for (String file : List.of("database-dump", "database-dump.jar", "database-dump.aot",
                "database-dump.aot.stamp")) {
            Files.copy(Path.of("target", file), copy.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.createSymbolicLink(copy.resolve("lib"), Path.of("target", "lib").toAbsolutePath());
        String stamp = Files.readString(copy.resolve("database-dump.aot.stamp"));

        // Trained by another JVM: the stamp names another Java build.
        Files.writeString(copy.resolve("database-dump.aot.stamp"), stamp.replaceFirst("\"25[^\"]*\"",
                "\"25.0.1+8-LTS\""));
        Launched otherJava = launch(copy.resolve("database-dump"), System.getProperty("java.home"), "");
        // A cache the JVM itself cannot read (its stamp is right, its bytes are not): ignored without a word.
        Files.writeString(copy.resolve("database-dump.aot.stamp"), stamp);
        Files.write(copy.resolve("database-dump.aot"), new byte[4096]);
        Launched unreadable = launch(copy.resolve("database-dump"), System.getProperty("java.home"), "");
        // Trained for another jar: this one was rebuilt since.
        Files.copy(Path.of("target", "database-dump.aot"), copy.resolve("database-dump.aot"),
                StandardCopyOption.REPLACE_EXISTING);
        try (var rebuilt = java.nio.file.FileSystems.newFileSystem(copy.resolve("database-dump.jar"))) {
            Files.writeString(rebuilt.getPath("rebuilt.txt"), "a newer build");
        }
        Launched otherJar = launch(copy.resolve("database-dump"), System.getProperty("java.home"), "");

        for (Launched run : List.of(otherJava, unreadable, otherJar)) {
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.summary().at("/metadata/total_rows").asLong()).isEqualTo(3);
        }
        assertThat(otherJava.launcherLines()).singleElement().asString()
                .contains("trained for another Java or another database-dump.jar");
        assertThat(otherJar.launcherLines()).singleElement().asString()
                .contains("trained for another Java or another database-dump.jar");
        assertThat(unreadable.launcherLines()).isEmpty();
    }

    /** What a run of the launcher printed: stderr's lines that are neither log lines nor empty are its own. */
    private record Launched(int exitCode, String stdout, String stderr) {

        JsonNode summary() throws java.io.IOException {
            List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).as("stdout: the summary, and nothing of the JVM's").hasSize(1);
            return StoredDump.EXACT_JSON.readTree(lines.get(0));
        }

        List<String> launcherLines() {
            return stderr.lines().filter(l -> !l.isBlank() && !l.matches("^\\d{4}-\\d{2}-\\d{2} .*")).toList();
        }
    }

    private Launched launch(Path launcher, String javaHome, String javaOpts) throws Exception {
        S3ProxyServer s3 = S3ProxyServer.get();
        String bucket = s3.createBucket();
        try (TestDatabase db = TestDatabase.create()) {
            db.execute("CREATE TABLE cases (id int PRIMARY KEY)", "INSERT INTO cases VALUES (1), (2), (3)");
            Path spool = Files.createTempDirectory(work, "spool");
            Map<String, String> env = ChildApplication.environmentOf(DumpApplication.settings(db, bucket, spool));
            env.put("DUMP_RUN_ONCE", "true");
            env.put("JAVA_HOME", javaHome);
            env.put("JAVA_OPTS", javaOpts);
            File out = Files.createTempFile(work, "out", ".txt").toFile();
            File err = Files.createTempFile(work, "err", ".txt").toFile();
            ProcessBuilder builder = new ProcessBuilder(List.of(launcher.toString())).redirectOutput(out)
                    .redirectError(err);
            builder.environment().putAll(env);
            Process process = builder.start();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return new Launched(process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        }
    }
}
