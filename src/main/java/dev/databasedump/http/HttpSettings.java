package dev.databasedump.http;

import dev.databasedump.settings.InvalidSettingException;
import dev.databasedump.settings.PropertyLookup;
import dev.databasedump.settings.SettingValues;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The admin HTTP endpoint and who may call it.
 *
 * @param port             HTTP port ({@code dump.http.port})
 * @param downloadExpiry   lifetime of a presigned download link ({@code dump.http.download-expiry})
 * @param corsOrigins      origins of admin UIs allowed to call from a browser ({@code dump.http.cors-origins})
 * @param jwtSecret        HS256 secret, Supabase's legacy JWT secret ({@code dump.auth.jwt-secret}); never logged
 * @param jwksUrl          JWKS with the ES256/RS256 keys ({@code dump.auth.jwks-url})
 * @param issuer           required {@code iss}, when set ({@code dump.auth.issuer})
 * @param audience         required {@code aud}, when set ({@code dump.auth.audience})
 * @param roleClaim        dotted path of the role claim ({@code dump.auth.role-claim})
 * @param adminRole        the role that may dump ({@code dump.auth.admin-role})
 * @param adminQuery       optional SQL that must return true for the token's {@code sub} ({@code dump.auth.admin-query})
 * @param jwksRefresh      shortest time between two JWKS downloads on unknown key ids
 *                         ({@code dump.auth.jwks-refresh-interval})
 * @param tenantClaim      dotted path of the claim naming a tenant admin's tenant ({@code dump.auth.tenant-claim});
 *                         only the server sets it, never {@code user_metadata}
 * @param tenantAdminRole  the role that may export its own tenant's data ({@code dump.auth.tenant-admin-role})
 */
public record HttpSettings(int port, Duration downloadExpiry, List<String> corsOrigins, Optional<String> jwtSecret,
        Optional<URI> jwksUrl, Optional<String> issuer, Optional<String> audience, String roleClaim, String adminRole,
        Optional<String> adminQuery, Duration jwksRefresh, String tenantClaim, String tenantAdminRole) {

    /** HS256 needs a 256-bit key. */
    static final int MIN_SECRET_BYTES = 32;

    public HttpSettings {
        corsOrigins = List.copyOf(corsOrigins);
        if (port < 0 || port > 65535) {
            throw new InvalidSettingException("dump.http.port", "must be a port number, got " + port);
        }
        if (jwtSecret.isEmpty() && jwksUrl.isEmpty()) {
            throw new InvalidSettingException("dump.auth.jwt-secret",
                    "set dump.auth.jwt-secret and/or dump.auth.jwks-url: the HTTP endpoint never runs unauthenticated");
        }
        if (tenantClaim.startsWith("user_metadata.")) {
            throw new InvalidSettingException("dump.auth.tenant-claim", "must be a claim only the server sets (such as"
                    + " app_metadata.tenant_id), never user_metadata, which users edit");
        }
        if (tenantAdminRole.equals(adminRole)) {
            throw new InvalidSettingException("dump.auth.tenant-admin-role", "must differ from dump.auth.admin-role");
        }
        if (jwtSecret.isPresent() && jwtSecret.get().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                < MIN_SECRET_BYTES) {
            throw new InvalidSettingException("dump.auth.jwt-secret", "must be at least 32 bytes for HS256");
        }
    }

    public static HttpSettings load(PropertyLookup properties) {
        SettingValues s = new SettingValues(properties);
        return new HttpSettings(
                (int) s.longNumber("dump.http.port", 8080),
                s.duration("dump.http.download-expiry", "15m"),
                s.list("dump.http.cors-origins", ""),
                s.optional("dump.auth.jwt-secret"),
                s.uri("dump.auth.jwks-url"),
                s.optional("dump.auth.issuer"),
                s.optional("dump.auth.audience"),
                s.text("dump.auth.role-claim", "app_metadata.role"),
                s.text("dump.auth.admin-role", "admin"),
                s.optional("dump.auth.admin-query"),
                s.duration("dump.auth.jwks-refresh-interval", "30s"),
                s.text("dump.auth.tenant-claim", "app_metadata.tenant_id"),
                s.text("dump.auth.tenant-admin-role", "tenant_admin"));
    }

    @Override
    public String toString() {
        return "HttpSettings[port=" + port + ", jwtSecret=" + (jwtSecret.isPresent() ? "***" : "(none)")
                + ", jwksUrl=" + jwksUrl.map(URI::toString).orElse("(none)") + "]";
    }
}
