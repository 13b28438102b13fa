package io.vigil.servlet;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One persistent HTTP/1.1 connection driven by hand: any method token, any path bytes, and no client-side
 * retries, so every request sent is exactly one request the server saw. Reads Content-Length and chunked
 * bodies; reconnects when the server asks to close.
 */
final class RawConnection implements AutoCloseable {

    private final URI base;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final ByteArrayOutputStream lastBody = new ByteArrayOutputStream();

    RawConnection(URI base) {
        this.base = base;
    }

    /** Sends {@code method path} and returns the status code (the body is read and dropped). */
    int send(String method, String path) throws IOException {
        return send(method, path, new String[0]);
    }

    /** The body of the last response, as ISO-8859-1 text. */
    String lastBody() {
        return lastBody.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Sends {@code method path} with extra header lines ({@code "Accept: ;"}), written as ISO-8859-1 bytes
     * verbatim; returns the status code and keeps the body for {@link #lastBody()}.
     */
    int send(String method, String path, String... headerLines) throws IOException {
        lastBody.reset();
        if (socket == null) {
            socket = new Socket(base.getHost(), base.getPort());
            socket.setSoTimeout(20_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(base.getHost()).append("\r\n");
        for (String header : headerLines) {
            head.append(header).append("\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String statusLine = line();
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = 0;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        if (!"HEAD".equals(method)) {
            if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                        size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    skip(size);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else {
                skip(length);
            }
        }
        if (close) {
            close();
        }
        return status;
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private void skip(long count) throws IOException {
        for (long left = count; left > 0; left--) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            if (lastBody.size() < 1 << 20) {
                lastBody.write(b);
            }
        }
    }

    /** Drops the connection; the next request opens a new one (after a 400 a server may close silently). */
    void reset() throws IOException {
        close();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }
}
