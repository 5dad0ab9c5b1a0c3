package dev.databasedump.support;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;

/**
 * A real PgBouncer (Debian's package) in front of the test PostgreSQL, in a child process of its own: in session mode,
 * or in transaction mode, where consecutive transactions of one client may run on different server connections, as
 * through Supabase's transaction pooler (port 6543). Few server connections, so they are shared between clients and
 * whatever one leaves on a server connection meets the next. PgBouncer refuses to run as root; as root it runs as the
 * {@code postgres} user.
 */
public final class PgBouncer implements AutoCloseable {

    /** How PgBouncer hands server connections to clients. */
    public enum Mode { session, transaction }

    private static final Path BINARY = Path.of("/usr/sbin/pgbouncer");

    private final Process process;
    private final int port;
    private final Path dir;

    private PgBouncer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Whether PgBouncer is installed here ({@code apt-get install pgbouncer}; {@code .ci/run} installs it). */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts PgBouncer in {@code mode} in front of the machine's PostgreSQL, for every database, as any user. */
    public static PgBouncer start(Mode mode) throws IOException {
        int port = S3ProxyServer.freePort();
        Path dir = Files.createTempDirectory("pgbouncer-test-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path users = dir.resolve("users.txt");
        Files.writeString(users, "\"postgres\" \"\"\n\"database_dump_reader\" \"\"\n");
        Path conf = dir.resolve("pgbouncer.ini");
        Files.writeString(conf, String.join("\n",
                "[databases]",
                "* = host=127.0.0.1 port=5432",
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = trust",
                "auth_file = " + users,
                "pool_mode = " + mode.name(),
                // Few server connections per database and user, so every client's transactions share them: a dump
                // at parallelism 2 holds three at once (its lock's transaction and two reading ones).
                "default_pool_size = 4",
                // A client that waits longer for a server connection is told so, rather than kept waiting.
                "query_wait_timeout = 20",
                "max_client_conn = 200",
                // pgjdbc sends it at connect, as every JDBC client does; PgBouncer's documentation says to ignore it.
                "ignore_startup_parameters = extra_float_digits",
                "logfile = " + dir.resolve("pgbouncer.log"),
                "pidfile = " + dir.resolve("pgbouncer.pid"),
                ""));
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
        }
        command.addAll(List.of(BINARY.toString(), conf.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.txt").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        PgBouncer bouncer = new PgBouncer(process, port, dir);
        Awaitility.await("PgBouncer on port " + port).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("PgBouncer ended: " + Files.readString(
                                dir.resolve("stdout.txt")));
                    }
                    try (Socket probe = new Socket("127.0.0.1", port)) {
                        return true;
                    }
                });
        return bouncer;
    }

    /** A JDBC URL of {@code database} through this pooler. */
    public String url(TestDatabase database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database.name();
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
