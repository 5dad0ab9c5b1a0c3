package dev.databasedump;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

/** Closes something we created (an S3 client, an executor) when the CamelContext stops; a host's own is left alone. */
final class ClosingService extends ServiceSupport {

    private final AutoCloseable resource;

    private ClosingService(AutoCloseable resource) {
        this.resource = resource;
    }

    static <T extends AutoCloseable> T closeOnStop(CamelContext context, T resource) {
        try {
            context.addService(new ClosingService(resource), true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register " + resource.getClass().getSimpleName()
                    + " for shutdown", e);
        }
        return resource;
    }

    @Override
    protected void doStop() throws Exception {
        resource.close();
    }
}
