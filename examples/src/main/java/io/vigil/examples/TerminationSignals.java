package io.vigil.examples;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Handles SIGTERM (what Kubernetes, Docker and systemd send) and SIGINT (Ctrl-C) so that the process ends with
 * the status of its own choosing. A JVM shutdown hook alone cannot: on SIGTERM the JVM exits with 143 whatever
 * the hook does. {@code sun.misc.Signal} (module jdk.unsupported, in every JDK) is reached by reflection because
 * javac warns on every use of it and cannot be told not to.
 */
final class TerminationSignals {

    private static final Logger LOG = LoggerFactory.getLogger(TerminationSignals.class);
    static final String TERMINATE = "TERM";
    static final String INTERRUPT = "INT";

    private TerminationSignals() {
    }

    /**
     * On the first SIGTERM or SIGINT, runs {@code shutdown} with the signal's name ({@link #TERMINATE},
     * {@link #INTERRUPT}) once on a new non-daemon thread; later signals are logged and ignored while it runs. Returns false (and the JVM keeps its default handling) when signals
     * cannot be handled on this JVM.
     */
    static boolean onTermination(Consumer<String> shutdown) {
        AtomicBoolean started = new AtomicBoolean();
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signalType.getMethod("handle", signalType, handlerType);
            Method name = signalType.getMethod("getName");
            InvocationHandler onSignal = (proxy, method, arguments) -> {
                if (method.getDeclaringClass() == Object.class) {
                    return objectMethod(proxy, method, arguments);
                }
                String signal = (String) name.invoke(arguments[0]);
                if (started.compareAndSet(false, true)) {
                    LOG.info("SIG{} received: shutting down", signal);
                    Thread thread = new Thread(() -> shutdown.accept(signal), "demo-shutdown");
                    thread.setDaemon(false);
                    thread.start();
                } else {
                    LOG.info("SIG{} received: already shutting down", signal);
                }
                return null;
            };
            Object handler = Proxy.newProxyInstance(TerminationSignals.class.getClassLoader(),
                    new Class<?>[] {handlerType}, onSignal);
            for (String signal : new String[] {TERMINATE, INTERRUPT}) {
                handle.invoke(null, signalType.getConstructor(String.class).newInstance(signal), handler);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unavailable) {
            LOG.debug("Signals cannot be handled here ({}); the JVM's shutdown hook stops the demo",
                    unavailable.toString());
            return false;
        }
    }

    private static Object objectMethod(Object proxy, Method method, Object[] arguments) {
        switch (method.getName()) {
            case "equals":
                return proxy == arguments[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            default:
                return "TerminationSignals.handler";
        }
    }
}
