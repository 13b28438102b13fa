package io.vigil.alerts;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Turns "notify channel C under key K" into a durable pending delivery and hands it to C's lane. The store
 * decides duplicates: a (channel, key) pair already pending or in the notification log is not sent again. On
 * start, the deliveries a previous process left pending are queued first, in their original order.
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final DeliveryStore store;
    private final Clock clock;
    private final DeliveryPolicy policy;
    private final Map<String, ChannelLane> lanes = new LinkedHashMap<>();
    private final Map<String, DeliveryMetrics> metrics = new LinkedHashMap<>();
    private final RateLimitedLog overflow = new RateLimitedLog(LOG, 1, TimeUnit.MINUTES);

    Dispatcher(List<NotificationChannel> channels, DeliveryStore store, Clock clock, DeliveryPolicy policy,
            MeterRegistry registry, Consumer<PendingDelivery> onSent) {
        this.store = store;
        this.clock = clock;
        this.policy = policy;
        for (NotificationChannel channel : channels) {
            DeliveryMetrics m = new DeliveryMetrics(registry, channel.name());
            metrics.put(channel.name(), m);
            lanes.put(channel.name(), new ChannelLane(channel, store, clock, policy, m, onSent));
        }
    }

    /**
     * Queues what the store holds as pending (on a shared store: what this node held, and what dead nodes left),
     * then starts every lane.
     */
    void start() {
        queue(store.takeOver(clock.instant(), true));
        lanes.values().forEach(ChannelLane::start);
    }

    /** Shared store: renews this node's leases and queues the deliveries whose node stopped renewing theirs. */
    void takeOver() {
        store.renewLeases(clock.instant());
        queue(store.takeOver(clock.instant(), false));
    }

    private void queue(List<PendingDelivery> deliveries) {
        for (PendingDelivery d : deliveries) {
            ChannelLane lane = lanes.get(d.channel());
            if (lane == null) {
                LOG.warn("Pending notification {} is for channel '{}', which is no longer configured; it stays"
                        + " pending", d.idempotencyKey(), d.channel());
                continue;
            }
            lane.offer(d);
        }
    }

    /**
     * Claims a group notification against the store's shared log and queues the deliveries {@code work} accepted
     * with it. False (each channel counts a duplicate) when another node already told the same.
     */
    boolean claim(GroupClaim claim, ClaimWork work) {
        Optional<List<PendingDelivery>> accepted = store.claim(claim, work, clock.instant());
        if (accepted.isEmpty()) {
            for (ClaimWork.Delivery d : work.deliveries()) {
                DeliveryMetrics m = metrics.get(d.channel());
                if (m != null) {
                    m.duplicate.increment();
                }
            }
            return false;
        }
        queue(accepted.get());
        return true;
    }

    /** Counts a notification for {@code channel} that never reached the dispatcher (intake queue full). */
    void countDropped(String channel) {
        DeliveryMetrics m = metrics.get(channel);
        if (m != null) {
            m.dropped.increment();
        }
    }

    /**
     * Records and queues the delivery of {@code n} to {@code channel} under {@code n}'s idempotency key. Runs on
     * the manager's control thread, never on an application thread.
     */
    void enqueue(AlertNotification n, String channel) {
        ChannelLane lane = lanes.get(channel);
        DeliveryMetrics m = metrics.get(channel);
        if (lane.queued() >= policy.laneCapacity()) {
            m.dropped.increment();
            overflow.warn("Notification channel {} queue is full; dropped notification {} for receiver {}",
                    channel, n.idempotencyKey(), n.receiver());
            return;
        }
        Optional<PendingDelivery> accepted = store.addPending(channel, n.idempotencyKey(), n, clock.instant());
        if (accepted.isEmpty()) {
            m.duplicate.increment();
            return;
        }
        lane.offer(accepted.get());
    }

    void close(Duration grace) {
        lanes.values().forEach(lane -> lane.close(grace));
    }
}
