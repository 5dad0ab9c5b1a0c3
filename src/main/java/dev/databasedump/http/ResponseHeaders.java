package dev.databasedump.http;

import org.apache.camel.support.DefaultHeaderFilterStrategy;
import org.apache.camel.support.http.HttpUtil;

/**
 * The HTTP server's header filter for our routes: as Camel's platform-http filters headers (the common HTTP ones
 * and Camel's own), except that it would also drop {@code Cache-Control} from answers, and ours must go out: the
 * API's answers carry links and summaries that no cache may keep ({@code no-store}), and the console's files must be
 * asked for again on every load ({@code no-cache}).
 */
public final class ResponseHeaders extends DefaultHeaderFilterStrategy {

    public ResponseHeaders() {
        HttpUtil.addCommonFilters(getOutFilter());
        getOutFilter().remove("cache-control");
        setLowerCase(true);
        setOutFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
    }
}
