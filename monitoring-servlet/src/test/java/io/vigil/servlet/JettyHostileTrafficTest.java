package io.vigil.servlet;

/** Issue 10's hostile traffic on embedded Jetty. */
class JettyHostileTrafficTest extends HostileTrafficContract {

    @Override
    ServletContainer container() {
        return new JettyContainer();
    }
}
