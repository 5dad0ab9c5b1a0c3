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
 * Decides whether verified claims belong to an admin: the role at {@code dump.auth.role-claim} (default
 * {@code app_metadata.role}, which only the server can set; never {@code user_metadata}, which users edit) must equal
 * {@code dump.auth.admin-role}, and, when {@code dump.auth.admin-query} is set, the database must agree for the
 * token's {@code sub} (the query's one {@code ?} parameter).
 */
public final class AdminAuthorizer {

    private static final Logger LOG = LoggerFactory.getLogger(AdminAuthorizer.class);

    private final HttpSettings settings;
    private final Supplier<DataSource> dataSource;

    public AdminAuthorizer(HttpSettings settings, Supplier<DataSource> dataSource) {
        this.settings = settings;
        this.dataSource = dataSource;
    }

    public AdminPrincipal authorize(JWTClaimsSet claims) {
        String subject = claims.getSubject();
        if (!hasAdminRole(claims)) {
            throw ApiException.forbidden("admin role required");
        }
        if (settings.adminQuery().isPresent() && !databaseAgrees(settings.adminQuery().get(), subject)) {
            throw ApiException.forbidden("admin role required");
        }
        Object email = claims.getClaim("email");
        return new AdminPrincipal(subject, email == null ? "" : email.toString());
    }

    private boolean hasAdminRole(JWTClaimsSet claims) {
        Object value = claims.getClaims();
        for (String part : settings.roleClaim().split("\\.")) {
            value = value instanceof Map<?, ?> map ? map.get(part) : null;
        }
        if (value instanceof Collection<?> roles) {
            return roles.contains(settings.adminRole());
        }
        return settings.adminRole().equals(value);
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
