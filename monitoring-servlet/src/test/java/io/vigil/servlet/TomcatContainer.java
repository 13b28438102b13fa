package io.vigil.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.Map;

/** Embedded Tomcat 11 on 127.0.0.1, port chosen by the OS. */
final class TomcatContainer implements ServletContainer {

    @Override
    public String name() {
        return "tomcat";
    }

    @Override
    public Running start(Map<String, HttpServlet> servlets, Filter filter) throws Exception {
        File baseDir = Files.createTempDirectory("vigil-tomcat").toFile();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.getAbsolutePath());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxHttpHeaderSize", String.valueOf(64 * 1024));
        tomcat.setConnector(connector);

        Context context = tomcat.addContext("", baseDir.getAbsolutePath());
        // Registered through the standard servlet API, as an application's initializer would.
        context.addServletContainerInitializer((classes, servletContext) -> {
            int i = 0;
            for (Map.Entry<String, HttpServlet> mount : servlets.entrySet()) {
                ServletRegistration.Dynamic registration = servletContext.addServlet("servlet" + i++,
                        mount.getValue());
                registration.setAsyncSupported(true);
                registration.addMapping(mount.getKey());
            }
            if (filter != null) {
                FilterRegistration.Dynamic registration = servletContext.addFilter("monitoring", filter);
                registration.setAsyncSupported(true);
                registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
            }
        }, null);
        tomcat.start();
        URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        return new Running() {
            @Override
            public URI base() {
                return base;
            }

            @Override
            public void close() throws Exception {
                tomcat.stop();
                tomcat.destroy();
                try (java.util.stream.Stream<java.nio.file.Path> files = Files.walk(baseDir.toPath())) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        };
    }
}
