package dev.databasedump.storage;

import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * A client's retry strategy, except that a request whose body the store cut off (the connection closed mid-body,
 * without an answer) is not sent again: that is how a store over its size limit refuses a PUT, and sending the whole
 * dump again would only be cut off again.
 */
final class NotAfterACut implements RetryStrategy {

    private final RetryStrategy retries;

    NotAfterACut(RetryStrategy retries) {
        this.retries = retries;
    }

    @Override
    public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
        return retries.acquireInitialToken(request);
    }

    @Override
    public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
        if (request.failure() instanceof RuntimeException failure && StoreErrors.cutWhileSending(failure)) {
            throw new TokenAcquisitionFailedException("not retried: the store cut the request's body off",
                    request.token(), request.failure());
        }
        return retries.refreshRetryToken(request);
    }

    @Override
    public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
        return retries.recordSuccess(request);
    }

    @Override
    public int maxAttempts() {
        return retries.maxAttempts();
    }

    @Override
    public boolean useClientDefaults() {
        return false;
    }

    @Override
    public Builder<?, ?> toBuilder() {
        return retries.toBuilder();
    }
}
