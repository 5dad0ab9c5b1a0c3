package dev.databasedump.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The application's main class run as its own JVM, configured only through environment variables, as in production. */
public final class ChildApplication {

    private ChildApplication() {
    }

    public record Result(int exitCode, String stdout, String stderr) {

        public String lastStdoutLine() {
            List<String> lines = stdout.lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    /** Turns {@code dump.s3.path-style} into {@code DUMP_S3_PATH_STYLE}, as Camel reads it back. */
    public static String environmentName(String key) {
        return key.toUpperCase().replace('.', '_').replace('-', '_');
    }

    public static Map<String, String> environmentOf(Map<String, String> settings) {
        Map<String, String> env = new java.util.HashMap<>();
        settings.forEach((key, value) -> env.put(environmentName(key), value));
        return env;
    }

    public static Result run(Map<String, String> environment, String maxHeap, Path workDir, long timeoutSeconds)
            throws IOException, InterruptedException {
        return await(start(environment, maxHeap, workDir), workDir, timeoutSeconds);
    }

    /** Starts the application and returns at once. */
    public static Process start(Map<String, String> environment, String maxHeap, Path workDir) throws IOException {
        return start(environment, maxHeap, workDir, new String[0]);
    }

    /** Runs the application with command-line arguments ({@code verify latest}, say). */
    public static Result run(Map<String, String> environment, String maxHeap, Path workDir, long timeoutSeconds,
            String... args) throws IOException, InterruptedException {
        return await(start(environment, maxHeap, workDir, args), workDir, timeoutSeconds);
    }

    /** Starts the application with command-line arguments and returns at once. */
    public static Process start(Map<String, String> environment, String maxHeap, Path workDir, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(S3ProxyServer.javaBin());
        if (maxHeap != null) {
            command.add("-Xmx" + maxHeap);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.databasedump.App");
        command.addAll(List.of(args));
        File out = workDir.resolve("stdout.txt").toFile();
        File err = workDir.resolve("stderr.txt").toFile();
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Waits for a started application to end. */
    public static Result await(Process process, Path workDir, long timeoutSeconds)
            throws IOException, InterruptedException {
        File out = workDir.resolve("stdout.txt").toFile();
        File err = workDir.resolve("stderr.txt").toFile();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the application did not finish within " + timeoutSeconds + " s: "
                    + Files.readString(err.toPath(), StandardCharsets.UTF_8));
        }
        return new Result(process.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                Files.readString(err.toPath(), StandardCharsets.UTF_8));
    }
}
