package io.vigil.servlet;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * Counts the body bytes the application writes, for responses streamed without a Content-Length. Costs one
 * wrapper, one stream or writer wrapper and an add per write call; only used when the filter was built with
 * {@code countStreamedBodies(true)}. Everything else is passed through unchanged, errors included.
 */
final class CountingResponse extends HttpServletResponseWrapper {

    private long bytes;
    private ServletOutputStream stream;
    private PrintWriter writer;

    CountingResponse(HttpServletResponse response) {
        super(response);
    }

    long bytes() {
        return bytes;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (stream == null) {
            stream = new CountingOutputStream(super.getOutputStream());
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            PrintWriter delegate = super.getWriter();
            EncodedLength length = new EncodedLength(getCharacterEncoding());
            writer = new PrintWriter(new CountingWriter(delegate, length)) {
                @Override
                public boolean checkError() {
                    return super.checkError() || delegate.checkError();
                }
            };
        }
        return writer;
    }

    private final class CountingOutputStream extends ServletOutputStream {
        private final ServletOutputStream delegate;

        CountingOutputStream(ServletOutputStream delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(int b) throws IOException {
            delegate.write(b);
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            delegate.write(b, off, len);
            bytes += len;
        }

        @Override
        public void flush() throws IOException {
            delegate.flush();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            delegate.setWriteListener(listener);
        }
    }

    private final class CountingWriter extends Writer {
        private final PrintWriter delegate;
        private final EncodedLength length;

        CountingWriter(PrintWriter delegate, EncodedLength length) {
            this.delegate = delegate;
            this.length = length;
        }

        @Override
        public void write(int c) {
            delegate.write(c);
            bytes += length.of((char) c);
        }

        @Override
        public void write(char[] chars, int off, int len) {
            delegate.write(chars, off, len);
            bytes += length.of(chars, off, len);
        }

        @Override
        public void write(String s, int off, int len) {
            delegate.write(s, off, len);
            bytes += length.of(s, off, len);
        }

        @Override
        public void flush() {
            delegate.flush();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
