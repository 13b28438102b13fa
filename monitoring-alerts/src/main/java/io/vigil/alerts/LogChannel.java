package io.vigil.alerts;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs each notification: WARN while firing, INFO once resolved. Never fails. */
final class LogChannel implements NotificationChannel {

    private static final Logger LOG = LoggerFactory.getLogger("io.vigil.alerts.notifications");

    private final String name;

    LogChannel(String name) {
        this.name = AlertNotification.requireText(name, "channel name");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(AlertNotification n) {
        String root = n.root() == null ? ""
                : " root=" + n.root().labels() + " symptoms=" + n.symptoms().size();
        String line = "[{}] receiver={} group={} alerts={} key={}{} {}";
        Object[] args = {n.status().wireName().toUpperCase(java.util.Locale.ROOT), n.receiver(), n.groupLabels(),
            n.alerts().size(), n.idempotencyKey(), root, n.commonAnnotations().getOrDefault("summary", "")};
        if (n.status() == AlertNotification.Status.FIRING) {
            LOG.warn(line, args);
        } else {
            LOG.info(line, args);
        }
    }

    @Override
    public String toString() {
        return "LogChannel{" + name + "}";
    }
}
