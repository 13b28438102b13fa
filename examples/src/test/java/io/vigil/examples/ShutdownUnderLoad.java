package io.vigil.examples;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Traffic as a load balancer sends it while a demo shuts down: {@code threads} clients place and read orders and
 * call {@code /slow} over loopback, each request on its own connection, while a probe polls {@code /health/ready}
 * every 10 ms. Like a load balancer, the clients stop sending new requests once the probe has seen 503; every
 * request sent before must succeed. The probe also notes when the port stops accepting connections.
 */
final class ShutdownUnderLoad implements AutoCloseable {

    private final int port;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean readinessDown = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch portClosed = new CountDownLatch(1);
    private final AtomicInteger served = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private volatile long readinessDownAt;
    private volatile long portClosedAt;

    private ShutdownUnderLoad(int port) {
        this.port = port;
    }

    static ShutdownUnderLoad start(int port, int clients) {
        ShutdownUnderLoad load = new ShutdownUnderLoad(port);
        for (int i = 0; i < clients; i++) {
            load.spawn("load-" + i, load::clientLoop);
        }
        load.spawn("readiness-probe", load::probeLoop);
        return load;
    }

    /** Requests that completed with the expected status. */
    int served() {
        return served.get();
    }

    /** Requests refused at connect (never accepted by the server). */
    int refused() {
        return refused.get();
    }

    /** Requests accepted by the server that did not complete as expected. */
    List<String> failures() {
        return List.copyOf(failures);
    }

    long readinessDownAt() {
        return readinessDownAt;
    }

    long portClosedAt() {
        return portClosedAt;
    }

    boolean awaitPortClosed(Duration timeout) throws InterruptedException {
        return portClosed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until the clients have stopped (they stop once readiness is down or the port is closed). */
    void awaitClients(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    /**
     * A {@code POST /orders} from a slow client: accepted, then its body trickles in a byte every 50 ms (never idle
     * long enough for Jetty's 1 s shutdown idle timeout) until {@link SlowUpload#finish} sends the rest, so the
     * request spans the moment the port closes.
     */
    SlowUpload slowUpload() throws IOException {
        String body = "item=drained&quantity=3&padding=" + "x".repeat(400);
        Socket socket = RawHttp.connect(port);
        RawHttp.send(socket.getOutputStream(), RawHttp.head("POST", "/orders", body,
                "Content-Type", "application/x-www-form-urlencoded"));
        SlowUpload upload = new SlowUpload(socket, body);
        spawn("slow-upload", upload::trickle);
        return upload;
    }

    @Override
    public void close() {
        closed.set(true);
        try {
            for (Thread thread : threads) {
                thread.join(20_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void spawn(String name, Runnable loop) {
        Thread thread = new Thread(loop, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private void clientLoop() {
        int round = 0;
        while (!readinessDown.get() && !closed.get()) {
            try {
                switch (round++ % 3) {
                    case 0 -> {
                        RawHttp.Response placed = RawHttp.post(port, "/orders", "item=load&quantity=1");
                        expect(placed, 201, "POST /orders");
                        String location = placed.head().lines().filter(line -> line.startsWith("Location: "))
                                .findFirst().orElse("Location: /orders/missing").substring("Location: ".length());
                        if (readinessDown.get()) {
                            return;   // a load balancer sends nothing new once readiness is down
                        }
                        expect(RawHttp.get(port, location), 200, "GET " + location);
                    }
                    case 1 -> expect(RawHttp.get(port, "/slow"), 200, "GET /slow");
                    default -> expect(RawHttp.get(port, "/orders/" + java.util.UUID.randomUUID()), 404,
                            "GET /orders/{unknown}");
                }
            } catch (RawHttp.Refused notAccepted) {
                refused.incrementAndGet();
                return;
            } catch (IOException | RuntimeException e) {
                failures.add(e.toString());
            }
        }
    }

    private void expect(RawHttp.Response response, int status, String what) {
        if (response.status() == status) {
            served.incrementAndGet();
        } else {
            failures.add(what + " answered " + response.status());
        }
    }

    private void probeLoop() {
        while (!closed.get()) {
            try {
                int status = RawHttp.get(port, "/health/ready").status();
                if (status == 503 && readinessDownAt == 0) {
                    readinessDownAt = System.nanoTime();
                    readinessDown.set(true);
                }
            } catch (RawHttp.Refused portIsClosed) {
                portClosedAt = System.nanoTime();
                portClosed.countDown();
                return;
            } catch (IOException | RuntimeException inTheClosingWindow) {
                // The probe only observes; the clients' requests are what must not fail.
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A request whose body is sent slowly, then completed on demand. */
    static final class SlowUpload {
        private final Socket socket;
        private final String body;
        private final CountDownLatch finish = new CountDownLatch(1);
        private final AtomicInteger sent = new AtomicInteger();
        private volatile IOException failure;

        SlowUpload(Socket socket, String body) {
            this.socket = socket;
            this.body = body;
        }

        /** Body bytes sent so far (after the head). */
        int sentBytes() {
            return sent.get();
        }

        /** Sends what is left of the body at once and reads the response. */
        RawHttp.Response finish() throws IOException, InterruptedException {
            finish.countDown();
            synchronized (this) {
                if (failure != null) {
                    throw failure;
                }
                try (socket) {
                    RawHttp.send(socket.getOutputStream(), body.substring(sent.get()));
                    sent.set(body.length());
                    return RawHttp.read(socket.getInputStream());
                }
            }
        }

        private void trickle() {
            try {
                while (!finish.await(50, TimeUnit.MILLISECONDS)) {
                    synchronized (this) {
                        int at = sent.get();
                        if (at >= body.length() - 1) {
                            return;   // the last byte is finish()'s to send
                        }
                        RawHttp.send(socket.getOutputStream(), body.substring(at, at + 1));
                        sent.set(at + 1);
                    }
                }
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
