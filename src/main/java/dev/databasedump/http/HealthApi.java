package dev.databasedump.http;

import java.util.Collection;

import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * Liveness and readiness from Camel's health checks, for probes: only {"status":"UP"} or {"status":"DOWN"} (503),
 * no details whatever the query string asks for, no authentication.
 */
public final class HealthApi {

    public String check(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
        exchange.getMessage().removeHeaders("*");
        Collection<HealthCheck.Result> results = path.endsWith("/live")
                ? HealthCheckHelper.invokeLiveness(exchange.getContext())
                : HealthCheckHelper.invokeReadiness(exchange.getContext());
        boolean up = HealthCheckHelper.isResultsUp(results, !path.endsWith("/live"));
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        return up ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}";
    }
}
