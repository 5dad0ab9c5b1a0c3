package dev.databasedump.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.databasedump.settings.Compression;

import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** How the client-side failures of a store are told: a connection closed during an upload, no credentials. */
class StoreErrorsTest {

    private final StoreErrors errors = new StoreErrors("import-exports", Optional.of(URI.create("http://store:9000")),
            Compression.NONE, Duration.ofSeconds(90));

    @Test
    void should_name_the_size_limit_when_the_store_closed_the_connection_mid_body() {
        assertClosedWhileReceiving(new SocketException("Broken pipe"));
        assertClosedWhileReceiving(new SocketException("Connection reset"));
    }

    @Test
    void should_name_the_size_limit_when_the_store_closed_the_connection_without_answering() {
        // Apache HttpClient's NoHttpResponseException: the body was in the socket's buffers when the store closed.
        assertClosedWhileReceiving(new IOException("The target server failed to respond"));
    }

    @Test
    void should_name_the_request_timeout_and_the_endpoint_when_the_store_does_not_answer_in_time() {
        RuntimeException explained = errors.explain(ApiCallAttemptTimeoutException.create(90_000));

        assertThat(explained).isInstanceOf(StoreException.class);
        assertThat(explained.getMessage()).isEqualTo("the store at http://store:9000 did not answer in time"
                + " (dump.s3.request-timeout: 90.0 s an attempt, 3 attempts): check dump.s3.endpoint and the network"
                + " to it");
    }

    @Test
    void should_leave_a_client_failure_outside_an_upload_as_it_is() {
        SdkClientException failure = SdkClientException.create("Unable to execute HTTP request: x",
                new IOException("The target server failed to respond"));

        assertThat(errors.explain(failure)).isSameAs(failure);
    }

    @Test
    void should_name_the_key_settings_in_one_short_line_when_no_credentials_are_found() {
        SdkClientException failure = SdkClientException.create("Unable to load credentials from any of the providers"
                + " in the chain AwsCredentialsProviderChain(credentialsProviders=[SystemPropertyCredentialsProvider(),"
                + " EnvironmentVariableCredentialsProvider(), InstanceProfileCredentialsProvider()]) : [...]");

        RuntimeException explained = errors.explain(failure);

        assertThat(explained).isInstanceOf(StoreException.class);
        assertThat(explained.getMessage()).startsWith("no credentials for the store: set dump.s3.access-key and"
                + " dump.s3.secret-key").doesNotContain("Provider");
    }

    @Test
    void should_name_the_endpoint_setting_when_the_store_refuses_the_connection() {
        SdkClientException failure = SdkClientException.create("Unable to execute HTTP request: Connect to"
                + " 127.0.0.1:5999 [/127.0.0.1] failed: Connection refused (SDK Attempt Count: 4)",
                new java.net.ConnectException("Connection refused"));

        RuntimeException explained = errors.explain(failure);

        assertThat(explained.getMessage()).isEqualTo("the store at http://store:9000 refused the connection: check"
                + " dump.s3.endpoint (is the store running, on that host and port?)");
    }

    private void assertClosedWhileReceiving(IOException cause) {
        SdkClientException failure = SdkClientException.create("Unable to execute HTTP request: "
                + cause.getMessage(), cause);

        RuntimeException explained = errors.explain(failure, StoreErrors.Sent.part(3, 5 * 1024 * 1024,
                7 * 1024 * 1024));

        assertThat(explained).isInstanceOf(StoreException.class);
        assertThat(explained.getMessage()).isEqualTo("the store closed the connection while receiving part 3 of the"
                + " dump, a request of 5 MB (the dump had grown to 7 MB), without an answer: a store does that past an"
                + " upload size limit (on Supabase Storage, the bucket's file_size_limit or the project's upload size"
                + " limit); raise the limit, set dump.compression=gzip, or lower dump.s3.part-size (5 MiB at least);"
                + " or check the network to http://store:9000");
        assertThat(explained.getMessage()).as("never a default limit as if it were the cause").doesNotContain("50 MB");
    }
}
