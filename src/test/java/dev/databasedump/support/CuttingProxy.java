package dev.databasedump.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy in front of a local server that cuts a client's connection mid-request when its {@link Rule} says so,
 * and remembers the HTTP request lines it passed on.
 */
public final class CuttingProxy implements AutoCloseable {

    /** Decides, for each chunk a client sends, whether to cut that connection instead of passing the chunk on. */
    @FunctionalInterface
    public interface Rule {
        boolean cut(long bytesSentByAllClients, long bytesSentOnThisConnection, String chunk);
    }

    private static final Pattern REQUEST_LINE = Pattern.compile("(GET|PUT|POST|DELETE|HEAD) (\\S+) HTTP/1\\.1");

    private final ServerSocket server;
    private final int targetPort;
    private final Rule rule;
    private final String answer;
    private final AtomicLong upstreamBytes = new AtomicLong();
    private final AtomicLong cuts = new AtomicLong();
    private final List<String> passedRequests = new CopyOnWriteArrayList<>();
    private final List<String> cutRequests = new CopyOnWriteArrayList<>();
    private final List<String> passedHeaders = new CopyOnWriteArrayList<>();
    private volatile Rule slow = (all, connection, chunk) -> false;
    private volatile Rule corrupt = (all, connection, chunk) -> false;
    private volatile Rule cutAnswer = (all, connection, chunk) -> false;
    private volatile long cutAnswerAfter;
    private volatile boolean stallInsteadOfCut;
    private final AtomicLong corrupted = new AtomicLong();
    private volatile long delayMillis;
    private volatile Rule continueThenAnswer = (all, connection, chunk) -> false;
    private volatile Rule stallRequest = (all, connection, chunk) -> false;
    private volatile long answerAfterBodyBytes;
    private final AtomicLong delayed = new AtomicLong();

    public CuttingProxy(int targetPort, Rule rule) throws IOException {
        this(targetPort, rule, null);
    }

    /**
     * With {@code answer}, a request the rule picks gets that raw HTTP answer (e.g. a 503) instead of a bare cut,
     * as from a server in trouble.
     */
    public CuttingProxy(int targetPort, Rule rule, String answer) throws IOException {
        this.answer = answer;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.rule = rule;
        Thread acceptor = new Thread(this::acceptLoop, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Behaves until {@code healthyBytes} have gone through, then cuts every request larger than {@code largeRequest}. */
    public static Rule largeRequestsAfter(long healthyBytes, long largeRequest) {
        return (all, connection, chunk) -> all > healthyBytes && connection > largeRequest;
    }

    /** An S3-style "503 Slow Down" answer. */
    public static final String SERVICE_UNAVAILABLE = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\n"
            + "Content-Length: 102\r\nConnection: close\r\n\r\n"
            + "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>SlowDown</Code><Message>Slow down</Message></Error>";

    /** Picks every upload ("PUT") of a dump object. */
    public static Rule dumpUploads() {
        return (all, connection, chunk) -> chunk.contains("PUT /") && chunk.contains(".json HTTP/1.1");
    }

    /** Cuts every upload ("PUT") whose path ends with {@code suffix}. */
    public static Rule uploadsEndingWith(String suffix) {
        return (all, connection, chunk) -> chunk.contains("PUT /") && chunk.contains(suffix + " HTTP/1.1");
    }

    /** Holds back each request the rule picks for {@code millis} before passing it on: a slow request. */
    public CuttingProxy delaying(Rule which, long millis) {
        this.slow = which;
        this.delayMillis = millis;
        return this;
    }

    /**
     * Flips one byte, early in the body, of the answer to each request the rule picks: a store (or a network) that
     * hands back bytes other than those stored.
     */
    public CuttingProxy corruptingAnswersTo(Rule which) {
        this.corrupt = which;
        return this;
    }

    /** Closes the connection after {@code bytes} of the answer to each request the rule picks: a download cut off. */
    public CuttingProxy cuttingAnswersTo(Rule which, long bytes) {
        this.cutAnswer = which;
        this.cutAnswerAfter = bytes;
        return this;
    }

    /**
     * Stops passing on the answer to each request the rule picks after {@code bytes}, keeping the connection open: a
     * download that stalls.
     */
    public CuttingProxy stallingAnswersTo(Rule which, long bytes) {
        this.stallInsteadOfCut = true;
        return cuttingAnswersTo(which, bytes);
    }

    /**
     * To each request the rule picks: "100 Continue" at once, then, once {@code bodyBytes} of its body have come, the
     * proxy's answer (a 413, say) and the connection closed, mid-body, without passing anything on: Supabase Storage's
     * way with a PUT over the bucket's size limit. Such requests are counted as cut.
     */
    public CuttingProxy continuingThenAnswering(Rule which, long bodyBytes) {
        this.continueThenAnswer = which;
        this.answerAfterBodyBytes = bodyBytes;
        return this;
    }

    /**
     * Stops reading each request the rule picks, and never answers it, keeping the connection open until the proxy
     * closes: a store that went silent (or a proxy holding a half-open connection), against which the client's write
     * blocks once the socket's buffers are full.
     */
    public CuttingProxy stallingRequests(Rule which) {
        this.stallRequest = which;
        return this;
    }

    /** How many answers were damaged. */
    public long corrupted() {
        return corrupted.get();
    }

    /** How many requests were held back. */
    public long delayed() {
        return delayed.get();
    }

    public int port() {
        return server.getLocalPort();
    }

    public long cuts() {
        return cuts.get();
    }

    /** "PUT /bucket/key" for each request the rule picked, in the order they came. */
    public List<String> cutRequests() {
        return List.copyOf(cutRequests);
    }

    /** The request line and headers of each request passed on to the server, as sent. */
    public List<String> passedHeaders() {
        return List.copyOf(passedHeaders);
    }

    /** "PUT /bucket/key" for each request passed on to the server. */
    public List<String> passedRequests() {
        return List.copyOf(passedRequests);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                java.util.concurrent.atomic.AtomicBoolean damageNextAnswer = new java.util.concurrent.atomic.AtomicBoolean();
                java.util.concurrent.atomic.AtomicBoolean cutNextAnswer = new java.util.concurrent.atomic.AtomicBoolean();
                pump(client, upstream, true, damageNextAnswer, cutNextAnswer);
                pump(upstream, client, false, damageNextAnswer, cutNextAnswer);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean towardsServer,
            java.util.concurrent.atomic.AtomicBoolean damageNextAnswer,
            java.util.concurrent.atomic.AtomicBoolean cutNextAnswer) {
        Thread thread = new Thread(() -> {
            long sentOnThisConnection = 0;
            long answered = 0;
            // Body bytes of a request answered "100 Continue" by the proxy itself; -1 while there is none.
            long swallowed = -1;
            // Where the body of an answer to damage starts counting: -1 while its headers are still to come.
            long bodyBytesToSkip = -1;
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (towardsServer && swallowed >= 0) {
                        swallowed += n;
                        if (swallowed >= answerAfterBodyBytes) {
                            from.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                            from.getOutputStream().flush();
                            break;
                        }
                        continue;
                    }
                    if (towardsServer) {
                        sentOnThisConnection += n;
                        String chunk = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                        if (stallRequest.cut(upstreamBytes.get(), sentOnThisConnection, chunk)) {
                            cuts.incrementAndGet();
                            while (!server.isClosed()) {
                                Thread.sleep(100);
                            }
                            break;
                        }
                        if (continueThenAnswer.cut(upstreamBytes.get(), sentOnThisConnection, chunk)) {
                            cuts.incrementAndGet();
                            Matcher cutRequest = REQUEST_LINE.matcher(chunk);
                            if (cutRequest.find()) {
                                cutRequests.add(cutRequest.group(1) + " " + cutRequest.group(2));
                            }
                            from.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n"
                                    .getBytes(StandardCharsets.ISO_8859_1));
                            from.getOutputStream().flush();
                            int headersEnd = chunk.indexOf("\r\n\r\n");
                            swallowed = headersEnd < 0 ? 0 : n - headersEnd - 4;
                            continue;
                        }
                        if (rule.cut(upstreamBytes.addAndGet(n), sentOnThisConnection, chunk)) {
                            cuts.incrementAndGet();
                            Matcher cutRequest = REQUEST_LINE.matcher(chunk);
                            if (cutRequest.find()) {
                                cutRequests.add(cutRequest.group(1) + " " + cutRequest.group(2));
                            }
                            if (answer != null) {
                                from.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                                from.getOutputStream().flush();
                            }
                            break;
                        }
                        if (slow.cut(upstreamBytes.get(), sentOnThisConnection, chunk)) {
                            delayed.incrementAndGet();
                            Thread.sleep(delayMillis);
                        }
                        Matcher request = REQUEST_LINE.matcher(chunk);
                        while (request.find()) {
                            passedRequests.add(request.group(1) + " " + request.group(2));
                            int headersEnd = chunk.indexOf("\r\n\r\n", request.start());
                            passedHeaders.add(chunk.substring(request.start(), headersEnd < 0 ? chunk.length()
                                    : headersEnd));
                        }
                        if (corrupt.cut(upstreamBytes.get(), sentOnThisConnection, chunk)) {
                            damageNextAnswer.set(true);
                        }
                        if (cutAnswer.cut(upstreamBytes.get(), sentOnThisConnection, chunk)) {
                            cutNextAnswer.set(true);
                        }
                    } else if (cutNextAnswer.get()) {
                        answered += n;
                        if (answered > cutAnswerAfter) {
                            cuts.incrementAndGet();
                            while (stallInsteadOfCut && !to.isClosed() && !server.isClosed()) {
                                Thread.sleep(100);
                            }
                            break;
                        }
                    } else if (damageNextAnswer.get()) {
                        if (bodyBytesToSkip < 0) {
                            int headersEnd = new String(buffer, 0, n, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
                            bodyBytesToSkip = headersEnd < 0 ? -1 : 200 - (n - headersEnd - 4);
                            if (headersEnd >= 0 && bodyBytesToSkip < 0) {
                                buffer[headersEnd + 4 + 200] ^= 0x01;
                                damageNextAnswer.set(false);
                                corrupted.incrementAndGet();
                            }
                        } else if (bodyBytesToSkip < n) {
                            buffer[(int) bodyBytesToSkip] ^= 0x01;
                            damageNextAnswer.set(false);
                            bodyBytesToSkip = -1;
                            corrupted.incrementAndGet();
                        } else {
                            bodyBytesToSkip -= n;
                        }
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // the other direction closed the sockets
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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
