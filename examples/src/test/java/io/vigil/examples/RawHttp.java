package io.vigil.examples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, one request per connection ({@code Connection: close}), so a test sees exactly
 * what happened on the wire: refused at connect (the port is closed), or a complete response, or a failure after
 * the connection was accepted.
 */
final class RawHttp {

    /** A complete response: status and body. */
    record Response(int status, String head, String body) {
    }

    /** The port was closed: the request never reached the server. */
    static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(ConnectException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private RawHttp() {
    }

    static Response get(int port, String path, String... headers) throws IOException {
        return exchange(port, "GET", path, null, headers);
    }

    static Response post(int port, String path, String form) throws IOException {
        return exchange(port, "POST", path, form, "Content-Type", "application/x-www-form-urlencoded");
    }

    static Response exchange(int port, String method, String path, String body, String... headers)
            throws IOException {
        try (Socket socket = connect(port)) {
            send(socket.getOutputStream(), head(method, path, body, headers)
                    + (body == null ? "" : body));
            return read(socket.getInputStream());
        }
    }

    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        } catch (ConnectException refused) {
            socket.close();
            throw new Refused(refused);
        }
        socket.setSoTimeout(15_000);
        return socket;
    }

    /** The request line and headers, with Content-Length when there is a body. */
    static String head(String method, String path, String body, String... headers) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        }
        return head.append("\r\n").toString();
    }

    static void send(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads to the end of the stream (the server closes after the response) and splits head and body. */
    static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        String text = bytes.toString(StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            throw new IOException("not a complete HTTP response: '" + text + "'");
        }
        return new Response(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), text.substring(end + 4));
    }
}
