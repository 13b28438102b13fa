package io.vigil.benchmarks.cpu;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator of the CPU-per-request harness, in its own JVM (pinned by the harness to another core
 * than the servers): a fixed number of HTTP/1.1 keep-alive connections, each driven by its own thread as fast
 * as the server answers (closed loop), each request one preformatted {@code GET} written in one call and its
 * response read up to the end of its {@code Content-Length} body, status checked.
 *
 * <p>Usage: {@code LoadGenerator <connections>}; then commands on stdin, one a line:
 * {@code run <port> <path> <millis>} opens the connections, drives them for that long, closes them and prints
 * {@code requests=<completed> errors=<n>}; {@code quit} exits. One JVM serves the whole run, so its JIT is warm
 * after the first rounds and its own speed does not change between variants.
 */
public final class LoadGenerator {

    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        int connections = Integer.parseInt(args[0]);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line; (line = commands.readLine()) != null; ) {
            String[] words = line.trim().split("\\s+");
            if (words[0].equals("quit")) {
                return;
            }
            if (words[0].equals("run") && words.length == 4) {
                long[] result = run(Integer.parseInt(words[1]), words[2], connections, Long.parseLong(words[3]));
                System.out.println("requests=" + result[0] + " errors=" + result[1]);
            } else {
                System.out.println("error=unknown command " + line);
            }
            System.out.flush();
        }
    }

    /** Drives {@code connections} connections to {@code port} for {@code millis}; returns {completed, errors}. */
    static long[] run(int port, String path, int connections, long millis) throws InterruptedException {
        AtomicLong completed = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long deadline = System.nanoTime() + millis * 1_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread thread = new Thread(() -> {
                long done = 0;
                try (Client client = new Client(port, path)) {
                    while (System.nanoTime() < deadline) {
                        client.get();
                        done++;
                    }
                } catch (IOException | RuntimeException e) {
                    errors.incrementAndGet();
                    System.err.println("load: " + e);
                }
                completed.addAndGet(done);
            }, "load-" + i);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new long[] {completed.get(), errors.get()};
    }

    /** One keep-alive connection that sends {@code GET <path>} and reads any 200 response with a Content-Length. */
    static final class Client implements AutoCloseable {
        private static final byte[] CONTENT_LENGTH = "\r\ncontent-length:".getBytes(StandardCharsets.US_ASCII);

        private final byte[] request;
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] buffer = new byte[8192];

        Client(int port, String path) throws IOException {
            request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        /** One request; returns the body length, or throws unless the status is 200. */
        int get() throws IOException {
            out.write(request);
            int length = 0;
            int headerEnd = -1;
            int bodyLength = -1;
            while (headerEnd < 0 || length < headerEnd + bodyLength) {
                int read = in.read(buffer, length, buffer.length - length);
                if (read < 0) {
                    throw new EOFException("Connection closed after " + length + " bytes");
                }
                int from = Math.max(0, length - 3);
                length += read;
                if (headerEnd < 0) {
                    headerEnd = endOfHeaders(from, length);
                    if (headerEnd >= 0) {
                        bodyLength = contentLength(headerEnd);
                    }
                }
                if (length == buffer.length) {
                    throw new IOException("Response larger than " + buffer.length + " bytes");
                }
            }
            if (length != headerEnd + bodyLength || buffer[9] != '2' || buffer[10] != '0' || buffer[11] != '0') {
                throw new IOException("Unexpected response: "
                        + new String(buffer, 0, length, StandardCharsets.ISO_8859_1));
            }
            return bodyLength;
        }

        private int endOfHeaders(int from, int length) {
            for (int i = from; i + 3 < length; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                    return i + 4;
                }
            }
            return -1;
        }

        private int contentLength(int headerEnd) throws IOException {
            outer:
            for (int i = 0; i + CONTENT_LENGTH.length < headerEnd; i++) {
                for (int j = 0; j < CONTENT_LENGTH.length; j++) {
                    if (Character.toLowerCase(buffer[i + j]) != CONTENT_LENGTH[j]) {
                        continue outer;
                    }
                }
                int value = 0;
                for (int k = i + CONTENT_LENGTH.length; k < headerEnd && buffer[k] != '\r'; k++) {
                    if (buffer[k] >= '0' && buffer[k] <= '9') {
                        value = value * 10 + (buffer[k] - '0');
                    }
                }
                return value;
            }
            throw new IOException("No Content-Length: " + new String(buffer, 0, headerEnd, StandardCharsets.ISO_8859_1));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
