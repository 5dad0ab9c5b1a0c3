package dev.databasedump.http;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies Supabase-style access tokens with nimbus-jose-jwt: HS256 with the configured secret, ES256/RS256 with keys
 * from the JWKS URL. Each algorithm family has its own processor and key source, so an HS256 token can never be
 * checked against a public key (HS/RS confusion) and unsigned tokens never parse as signed ones.
 */
public final class TokenVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(TokenVerifier.class);
    private static final int CLOCK_SKEW_SECONDS = 30;
    private static final long JWKS_TTL_MS = 10 * 60_000L;
    private static final long JWKS_REFRESH_TIMEOUT_MS = 15_000L;

    private final Optional<ConfigurableJWTProcessor<SecurityContext>> hmac;
    private final Optional<ConfigurableJWTProcessor<SecurityContext>> asymmetric;

    public TokenVerifier(HttpSettings settings) {
        DefaultJWTClaimsVerifier<SecurityContext> claims = claimsVerifier(settings);
        this.hmac = settings.jwtSecret().map(secret -> processor(claims, new JWSVerificationKeySelector<>(
                JWSAlgorithm.HS256, new ImmutableSecret<>(secret.getBytes(StandardCharsets.UTF_8)))));
        this.asymmetric = settings.jwksUrl().map(url -> processor(claims, new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256), jwks(url, settings.jwksRefresh().toMillis()))));
    }

    /** The token's claims, or a 401 that says only what a caller may know. */
    public JWTClaimsSet verify(ApiRequest request) {
        String header = request.authorization().orElseThrow(ApiException::missingToken).trim();
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.missingToken();
        }
        String token = header.substring(7).trim();
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
            Optional<ConfigurableJWTProcessor<SecurityContext>> processor = JWSAlgorithm.HS256.equals(alg) ? hmac
                    : JWSAlgorithm.ES256.equals(alg) || JWSAlgorithm.RS256.equals(alg) ? asymmetric : Optional.empty();
            return processor.orElseThrow(() -> ApiException.unauthorized("token algorithm not accepted"))
                    .process(jwt, null);
        } catch (ApiException e) {
            throw e;
        } catch (ParseException e) {
            throw ApiException.unauthorized("malformed token");
        } catch (Exception e) {
            // The reason stays in our debug log, never the token itself.
            LOG.debug("Token refused: {}", e.getMessage());
            throw ApiException.unauthorized("invalid or expired token");
        }
    }

    private static ConfigurableJWTProcessor<SecurityContext> processor(
            DefaultJWTClaimsVerifier<SecurityContext> claims, JWSVerificationKeySelector<SecurityContext> keys) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(keys);
        processor.setJWTClaimsSetVerifier(claims);
        return processor;
    }

    private static DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier(HttpSettings settings) {
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        settings.issuer().ifPresent(exact::issuer);
        Set<String> required = new HashSet<>(Set.of("sub", "exp"));
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(
                settings.audience().orElse(null), exact.build(), required);
        verifier.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        return verifier;
    }

    // Cached keys, a rate-limited refresh on an unknown kid, and the cached keys kept through a JWKS outage.
    private static JWKSource<SecurityContext> jwks(java.net.URI url, long minRefreshIntervalMs) {
        try {
            return JWKSourceBuilder.<SecurityContext>create(url.toURL(), new DefaultResourceRetriever(5_000, 5_000, 512 * 1024))
                    .cache(JWKS_TTL_MS, JWKS_REFRESH_TIMEOUT_MS)
                    .rateLimited(minRefreshIntervalMs)
                    .outageTolerantForever()
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("dump.auth.jwks-url is not a URL", e);
        }
    }
}
