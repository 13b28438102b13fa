package io.vigil.servlet;

/** Issue 10's hostile traffic on embedded Tomcat. */
class TomcatHostileTrafficTest extends HostileTrafficContract {

    @Override
    ServletContainer container() {
        return new TomcatContainer();
    }
}
