package dev.databasedump.support;

import dev.databasedump.settings.StorageSettings;
import dev.databasedump.storage.S3ClientFactory;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.awaitility.Awaitility;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;

/**
 * A real S3 API server (S3Proxy) in a child process, started once for the whole test run and stopped when the JVM
 * exits. Each test takes a bucket of its own. The store is jclouds' in-memory "transient" one: S3Proxy's nio2 stores
 * (filesystem and in-memory alike) corrupt a bucket when an upload is cut mid-part, answering every later listing and
 * abort with an error, which real S3 never does and the failure tests depend on.
 */
public final class S3ProxyServer {

    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key-do-not-log";

    private static S3ProxyServer instance;

    private final URI endpoint;
    private final S3Client client;

    private S3ProxyServer(URI endpoint) {
        this.endpoint = endpoint;
        this.client = S3ClientFactory.create(storage("probe"));
    }

    public static synchronized S3ProxyServer get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    public URI endpoint() {
        return endpoint;
    }

    public S3Client client() {
        return client;
    }

    public StorageSettings storage(String bucket) {
        return new StorageSettings(bucket, "dumps/", "us-east-1", Optional.of(endpoint), true, ACCESS_KEY, SECRET_KEY,
                StorageSettings.MIN_PART_SIZE, Duration.ofMinutes(5));
    }

    public String createBucket() {
        String bucket = "dd-test-" + UUID.randomUUID().toString().substring(0, 13).toLowerCase(Locale.ROOT);
        client.createBucket(CreateBucketRequest.builder().bucket(bucket).build());
        return bucket;
    }

    private static S3ProxyServer start() {
        try {
            int port = freePort();
            Path dir = Files.createTempDirectory("s3proxy-test-");
            Path conf = dir.resolve("s3proxy.conf");
            Files.writeString(conf, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=transient"));
            Path jar = Path.of("target", "s3proxy", "s3proxy.jar").toAbsolutePath();
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: run the tests through Maven");
            }
            Process process = new ProcessBuilder(List.of(javaBin(), "-Xmx4g", "-jar", jar.toString(),
                    "--properties", conf.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("s3proxy.log").toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            S3ProxyServer server = new S3ProxyServer(URI.create("http://127.0.0.1:" + port));
            Awaitility.await("S3Proxy on port " + port).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> {
                        server.client.listBuckets();
                        return true;
                    });
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start S3Proxy: " + e.getMessage(), e);
        }
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
