package dev.databasedump.http;

import com.nimbusds.jwt.JWTClaimsSet;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whom verified claims belong to. A platform admin: the role at {@code dump.auth.role-claim} (default
 * {@code app_metadata.role}, which only the server can set; never {@code user_metadata}, which users edit) equals
 * {@code dump.auth.admin-role}, and, when {@code dump.auth.admin-query} is set, the database agrees for the token's
 * {@code sub} (the query's one {@code ?} parameter). A tenant admin, with tenant dumps on: the role equals
 * {@code dump.auth.tenant-admin-role} and {@code dump.auth.tenant-claim} names the tenant. Anyone else: 403.
 */
public final class AdminAuthorizer {

    private static final Logger LOG = LoggerFactory.getLogger(AdminAuthorizer.class);

    private final HttpSettings settings;
    private final Supplier<DataSource> dataSource;
    private final boolean tenantDumps;

    /** @param tenantDumps whether tenant dumps are configured, without which there are no tenant admins */
    public AdminAuthorizer(HttpSettings settings, Supplier<DataSource> dataSource, boolean tenantDumps) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.tenantDumps = tenantDumps;
    }

    public AdminPrincipal authorize(JWTClaimsSet claims) {
        String subject = claims.getSubject();
        Object email = claims.getClaim("email");
        String mail = email == null ? "" : email.toString();
        if (hasRole(claims, settings.adminRole())) {
            if (settings.adminQuery().isPresent() && !databaseAgrees(settings.adminQuery().get(), subject)) {
                throw ApiException.forbidden("admin role required");
            }
            return new AdminPrincipal(subject, mail, null);
        }
        if (tenantDumps && hasRole(claims, settings.tenantAdminRole())) {
            String tenant = tenantOf(claim(claims, settings.tenantClaim()));
            if (tenant == null) {
                // Never the claim's value: the token is the caller's to read, not ours to echo.
                throw ApiException.forbidden("the token's " + settings.tenantClaim() + " names no tenant");
            }
            return new AdminPrincipal(subject, mail, tenant);
        }
        throw ApiException.forbidden("admin role required");
    }

    // A tenant id is text everywhere inside; a claim is where it can arrive typed. A JSON number (an access-token hook
    // over a bigint key writes one) is its decimal text; missing, empty, an object, an array or a boolean names none.
    static String tenantOf(Object claim) {
        if (claim instanceof String text) {
            return text.isBlank() ? null : text;
        }
        if (claim instanceof Long || claim instanceof Integer || claim instanceof Short
                || claim instanceof java.math.BigInteger) {
            return claim.toString();
        }
        if (claim instanceof Number number && Double.isFinite(number.doubleValue())) {
            return new java.math.BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
        }
        return null;
    }

    private boolean hasRole(JWTClaimsSet claims, String role) {
        Object value = claim(claims, settings.roleClaim());
        if (value instanceof Collection<?> roles) {
            return roles.contains(role);
        }
        return role.equals(value);
    }

    private static Object claim(JWTClaimsSet claims, String path) {
        Object value = claims.getClaims();
        for (String part : path.split("\\.")) {
            value = value instanceof Map<?, ?> map ? map.get(part) : null;
        }
        return value;
    }

    private boolean databaseAgrees(String query, String subject) {
        try (Connection connection = dataSource.get().getConnection();
             PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, subject);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && Optional.ofNullable(rs.getObject(1)).map(v -> Boolean.TRUE.equals(v)
                        || "true".equalsIgnoreCase(v.toString()) || "1".equals(v.toString())).orElse(false);
            }
        } catch (Exception e) {
            LOG.warn("dump.auth.admin-query failed, refusing the request: {}", e.getMessage());
            return false;
        }
    }
}
