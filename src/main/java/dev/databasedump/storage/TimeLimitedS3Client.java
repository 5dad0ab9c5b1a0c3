package dev.databasedump.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;

import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An S3 client whose every request has an attempt timeout and an overall timeout, whoever built the client (ours, or a
 * host's): a store that stops answering, or a proxy that keeps a connection half-open, would otherwise hold a PUT for
 * ever, since a socket read timeout never fires while the client is blocked writing the body. The limits are set on
 * each request, which the SDK lets a request do over its client's settings; retries stay the client's.
 *
 * <p>A download's stream is the exception: a 1 GB restore reads one for longer than any request should take, and a
 * stalled download already ends on the HTTP client's socket read timeout.
 */
final class TimeLimitedS3Client implements InvocationHandler {

    /** Attempts the SDK's standard retry strategy makes of a request; the overall limit leaves room for all of them. */
    static final int ATTEMPTS = 3;

    private final S3Client client;
    private final Duration attempt;

    private TimeLimitedS3Client(S3Client client, Duration attempt) {
        this.client = client;
        this.attempt = attempt;
    }

    /** {@code client}, each of whose requests may take {@code attempt} per attempt and three times that in all. */
    static S3Client wrap(S3Client client, Duration attempt) {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                new TimeLimitedS3Client(client, attempt));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (args != null && args.length > 0 && args[0] instanceof AwsRequest request
                && !ResponseInputStream.class.isAssignableFrom(method.getReturnType())) {
            args[0] = request.toBuilder().overrideConfiguration(request.overrideConfiguration()
                    .map(given -> given.toBuilder()).orElseGet(
                            software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration::builder)
                    .apiCallAttemptTimeout(attempt).apiCallTimeout(attempt.multipliedBy(ATTEMPTS)).build()).build();
        }
        try {
            return method.invoke(client, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
