package io.vigil.servlet;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;

import java.net.URI;
import java.util.Map;

/** An embedded servlet container the shared behavioural tests run against (Jetty 12 ee10, Tomcat 11). */
interface ServletContainer {

    /**
     * Starts a server on a free loopback port with {@code servlets} (mapping → servlet, async supported) and,
     * when not null, {@code filter} mapped to {@code /*} for REQUEST dispatches.
     */
    Running start(Map<String, HttpServlet> servlets, Filter filter) throws Exception;

    String name();

    interface Running {
        URI base();

        /** Stops the server and releases its port. */
        void close() throws Exception;
    }
}
