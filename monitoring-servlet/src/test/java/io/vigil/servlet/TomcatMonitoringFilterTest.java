package io.vigil.servlet;

/** The filter contract on embedded Tomcat 11. */
class TomcatMonitoringFilterTest extends MonitoringFilterContract {

    @Override
    ServletContainer container() {
        return new TomcatContainer();
    }
}
