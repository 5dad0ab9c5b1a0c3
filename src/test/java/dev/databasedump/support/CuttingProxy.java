package dev.databasedump.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of a local server that behaves until {@code healthyBytes} have gone upstream, then cuts every
 * connection that tries to send more than {@code largeRequestBytes}: uploads of parts die mid-stream while small
 * requests (abort, list, delete) still get through.
 */
public final class CuttingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final long healthyBytes;
    private final long largeRequestBytes;
    private final AtomicLong upstreamBytes = new AtomicLong();
    private final AtomicLong cuts = new AtomicLong();

    public CuttingProxy(int targetPort, long healthyBytes, long largeRequestBytes) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.healthyBytes = healthyBytes;
        this.largeRequestBytes = largeRequestBytes;
        Thread acceptor = new Thread(this::acceptLoop, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public long cuts() {
        return cuts.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean towardsServer) {
        Thread thread = new Thread(() -> {
            long sentOnThisConnection = 0;
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (towardsServer) {
                        sentOnThisConnection += n;
                        boolean pastHealthy = upstreamBytes.addAndGet(n) > healthyBytes;
                        if (pastHealthy && sentOnThisConnection > largeRequestBytes) {
                            cuts.incrementAndGet();
                            break;
                        }
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // the other direction closed the sockets
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "cutting-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
