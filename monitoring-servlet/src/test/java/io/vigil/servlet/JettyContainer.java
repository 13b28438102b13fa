package io.vigil.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.net.URI;
import java.util.EnumSet;
import java.util.Map;

/** Embedded Jetty 12 (ee10) on 127.0.0.1, port chosen by the OS. */
final class JettyContainer implements ServletContainer {

    @Override
    public String name() {
        return "jetty";
    }

    @Override
    public Running start(Map<String, HttpServlet> servlets, Filter filter) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        // Production setups raise the 8 KiB default for large cookies / tokens; the abuse test sends 16 KiB.
        connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration()
                .setRequestHeaderSize(64 * 1024);
        server.addConnector(connector);
        ErrorHandler serverErrors = new ErrorHandler();
        serverErrors.setShowStacks(false);
        server.setErrorHandler(serverErrors);

        ServletContextHandler context = new ServletContextHandler("/");
        org.eclipse.jetty.ee10.servlet.ErrorHandler contextErrors = new org.eclipse.jetty.ee10.servlet.ErrorHandler();
        contextErrors.setShowStacks(false);
        context.setErrorHandler(contextErrors);
        int i = 0;
        for (Map.Entry<String, HttpServlet> mount : servlets.entrySet()) {
            ServletHolder holder = new ServletHolder("servlet" + i++, mount.getValue());
            holder.setAsyncSupported(true);
            context.addServlet(holder, mount.getKey());
        }
        if (filter != null) {
            FilterHolder holder = new FilterHolder(filter);
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        server.setHandler(context);
        server.start();
        URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        return new Running() {
            @Override
            public URI base() {
                return base;
            }

            @Override
            public void close() throws Exception {
                server.stop();
            }
        };
    }
}
