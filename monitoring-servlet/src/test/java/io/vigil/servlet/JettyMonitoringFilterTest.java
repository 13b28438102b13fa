package io.vigil.servlet;

/** The filter contract on embedded Jetty 12 (ee10). */
class JettyMonitoringFilterTest extends MonitoringFilterContract {

    @Override
    ServletContainer container() {
        return new JettyContainer();
    }
}
