package dev.databasedump.http;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Mints Supabase-style access tokens for tests, and serves the JWKS their ES256 keys verify against. */
public final class Tokens implements AutoCloseable {

    static final String SECRET = dev.databasedump.support.AdminApi.JWT_SECRET;

    private final ECKey signingKey;
    private final HttpServer jwksServer;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private volatile JWKSet published;

    Tokens() throws Exception {
        signingKey = new ECKeyGenerator(Curve.P_256).keyID("key-1").generate();
        published = new JWKSet(signingKey.toPublicJWK());
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/auth/v1/.well-known/jwks.json", exchange -> {
            jwksFetches.incrementAndGet();
            byte[] body = published.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        jwksServer.start();
    }

    String jwksUrl() {
        return "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/auth/v1/.well-known/jwks.json";
    }

    int jwksFetches() {
        return jwksFetches.get();
    }

    /** Publishes a new ES256 key (the old one is dropped) and returns it. */
    ECKey rotate(String keyId) throws Exception {
        ECKey next = new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
        published = new JWKSet(next.toPublicJWK());
        return next;
    }

    static JWTClaimsSet.Builder claims(String subject, String role) {
        return new JWTClaimsSet.Builder().subject(subject).claim("email", subject + "@example.com")
                .claim("app_metadata", role == null ? Map.of() : Map.of("role", role))
                .expirationTime(Date.from(Instant.now().plusSeconds(600)));
    }

    /** A tenant admin of {@code tenant}: the role and the tenant in app_metadata, as the server sets them. */
    public static String tenantAdmin(String subject, String tenant) throws Exception {
        return hs256(new JWTClaimsSet.Builder().subject(subject).claim("email", subject + "@example.com")
                .claim("app_metadata", Map.of("role", "tenant_admin", "tenant_id", tenant))
                .expirationTime(new java.util.Date(System.currentTimeMillis() + 600_000)).build(), SECRET);
    }

    /**
     * A tenant admin whose tenant claim is {@code claim} as the token's JSON holds it: a number, a string, or
     * something that names no tenant (an object, a list, a boolean, empty); null leaves the claim out.
     */
    public static String tenantAdminClaiming(String subject, Object claim) throws Exception {
        Map<String, Object> appMetadata = new java.util.HashMap<>();
        appMetadata.put("role", "tenant_admin");
        if (claim != null) {
            appMetadata.put("tenant_id", claim);
        }
        return hs256(new JWTClaimsSet.Builder().subject(subject).claim("email", subject + "@example.com")
                .claim("app_metadata", appMetadata)
                .expirationTime(new java.util.Date(System.currentTimeMillis() + 600_000)).build(), SECRET);
    }

    /** A user who put a tenant admin's role and tenant in user_metadata, which users edit. */
    public static String selfMadeTenantAdmin(String tenant) throws Exception {
        return hs256(new JWTClaimsSet.Builder().subject("self-made").claim("email", "self@example.com")
                .claim("user_metadata", Map.of("role", "tenant_admin", "tenant_id", tenant))
                .claim("app_metadata", Map.of())
                .expirationTime(new java.util.Date(System.currentTimeMillis() + 600_000)).build(), SECRET);
    }

    public static String admin() throws Exception {
        return hs256(claims("admin-user", "admin").build(), SECRET);
    }

    static String hs256(JWTClaimsSet claims, String secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    String es256(JWTClaimsSet claims) throws Exception {
        return es256(claims, signingKey);
    }

    static String es256(JWTClaimsSet claims, ECKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    /** An unsigned token ("alg":"none"). */
    static String unsigned(JWTClaimsSet claims) {
        return new com.nimbusds.jwt.PlainJWT(claims).serialize();
    }

    @Override
    public void close() throws IOException {
        jwksServer.stop(0);
    }
}
