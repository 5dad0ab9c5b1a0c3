package dev.databasedump.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.databasedump.support.DocumentedSettings;

import org.junit.jupiter.api.Test;

class HttpSettingsTest {

    private static HttpSettings load(Map<String, String> values) {
        return HttpSettings.load(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void should_default_to_the_values_application_properties_documents() throws IOException {
        Map<String, String> documented = DocumentedSettings.load();
        documented.put("dump.auth.jwt-secret", Tokens.SECRET);

        HttpSettings settings = load(documented);

        assertThat(settings).isEqualTo(load(Map.of("dump.auth.jwt-secret", Tokens.SECRET)));
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.downloadExpiry()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.roleClaim()).isEqualTo("app_metadata.role");
        assertThat(settings.adminRole()).isEqualTo("admin");
    }

    @Test
    void should_refuse_to_run_the_api_without_a_way_to_check_tokens() {
        assertThatThrownBy(() -> load(Map.of())).hasMessageContaining("dump.auth.jwt-secret");
        assertThatThrownBy(() -> load(Map.of("dump.auth.jwt-secret", "short")))
                .hasMessageContaining("dump.auth.jwt-secret").hasMessageNotContaining("short");
        assertThat(load(Map.of("dump.auth.jwks-url", "https://p.supabase.co/auth/v1/.well-known/jwks.json"))
                .jwksUrl()).isPresent();
    }

    @Test
    void should_never_show_the_secret_in_its_text_form() {
        assertThat(load(Map.of("dump.auth.jwt-secret", Tokens.SECRET)).toString()).doesNotContain(Tokens.SECRET);
    }
}
