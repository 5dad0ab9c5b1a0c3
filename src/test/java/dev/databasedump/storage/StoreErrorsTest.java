package dev.databasedump.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.databasedump.settings.Compression;

import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/** How a connection the store closed during an upload is told, whichever way the HTTP client saw the close. */
class StoreErrorsTest {

    private final StoreErrors errors = new StoreErrors("import-exports", Optional.of(URI.create("http://store:9000")),
            Compression.NONE);

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
    void should_leave_a_client_failure_outside_an_upload_as_it_is() {
        SdkClientException failure = SdkClientException.create("Unable to execute HTTP request: x",
                new IOException("The target server failed to respond"));

        assertThat(errors.explain(failure)).isSameAs(failure);
    }

    private void assertClosedWhileReceiving(IOException cause) {
        SdkClientException failure = SdkClientException.create("Unable to execute HTTP request: "
                + cause.getMessage(), cause);

        RuntimeException explained = errors.explain(failure, 7 * 1024 * 1024);

        assertThat(explained).isInstanceOf(StoreException.class);
        assertThat(explained.getMessage()).startsWith("the store closed the connection while receiving the dump (7 MB"
                + " so far)").contains("dump.compression=gzip").contains("http://store:9000");
    }
}
