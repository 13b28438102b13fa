package io.vigil.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Counts the body bytes the application reads, for requests sent without a Content-Length (chunked). Used
 * only with {@code countStreamedBodies(true)}; a body the application never reads is not counted.
 */
final class CountingRequest extends HttpServletRequestWrapper {

    private long bytes;
    private ServletInputStream stream;
    private BufferedReader reader;

    CountingRequest(HttpServletRequest request) {
        super(request);
    }

    long bytes() {
        return bytes;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (stream == null) {
            stream = new CountingInputStream(super.getInputStream());
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (reader == null) {
            reader = new BufferedReader(new CountingReader(super.getReader(),
                    new EncodedLength(getCharacterEncoding())));
        }
        return reader;
    }

    private final class CountingInputStream extends ServletInputStream {
        private final ServletInputStream delegate;

        CountingInputStream(ServletInputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                bytes++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = delegate.read(b, off, len);
            if (n > 0) {
                bytes += n;
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return delegate.available();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }

    private final class CountingReader extends Reader {
        private final BufferedReader delegate;
        private final EncodedLength length;

        CountingReader(BufferedReader delegate, EncodedLength length) {
            this.delegate = delegate;
            this.length = length;
        }

        @Override
        public int read(char[] chars, int off, int len) throws IOException {
            int n = delegate.read(chars, off, len);
            if (n > 0) {
                bytes += length.of(chars, off, n);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
