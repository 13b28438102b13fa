package io.vigil.servlet;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * How many bytes characters take in a charset, computed without encoding them for the charsets that matter
 * (UTF-8, ISO-8859-1, US-ASCII, UTF-16); any other charset is encoded to count, which allocates.
 */
final class EncodedLength {

    private enum Kind { UTF_8, SINGLE_BYTE, UTF_16, OTHER }

    private final Kind kind;
    private final Charset charset;
    private boolean pendingHighSurrogate;

    EncodedLength(String charsetName) {
        Charset resolved;
        try {
            resolved = charsetName == null ? StandardCharsets.ISO_8859_1 : Charset.forName(charsetName);
        } catch (RuntimeException unknown) {
            resolved = StandardCharsets.ISO_8859_1; // what the container falls back to as well
        }
        this.charset = resolved;
        if (resolved.equals(StandardCharsets.UTF_8)) {
            kind = Kind.UTF_8;
        } else if (resolved.equals(StandardCharsets.ISO_8859_1) || resolved.equals(StandardCharsets.US_ASCII)) {
            kind = Kind.SINGLE_BYTE;
        } else if (resolved.equals(StandardCharsets.UTF_16BE) || resolved.equals(StandardCharsets.UTF_16LE)) {
            kind = Kind.UTF_16;
        } else {
            kind = Kind.OTHER;
        }
    }

    long of(char c) {
        return kind == Kind.UTF_8 ? utf8(c) : of(String.valueOf(c), 0, 1);
    }

    long of(CharSequence chars, int offset, int length) {
        switch (kind) {
            case SINGLE_BYTE:
                return length;
            case UTF_16:
                return 2L * length;
            case UTF_8:
                long bytes = 0;
                for (int i = offset; i < offset + length; i++) {
                    bytes += utf8(chars.charAt(i));
                }
                return bytes;
            default:
                return chars.subSequence(offset, offset + length).toString().getBytes(charset).length;
        }
    }

    long of(char[] chars, int offset, int length) {
        switch (kind) {
            case SINGLE_BYTE:
                return length;
            case UTF_16:
                return 2L * length;
            case UTF_8:
                long bytes = 0;
                for (int i = offset; i < offset + length; i++) {
                    bytes += utf8(chars[i]);
                }
                return bytes;
            default:
                return new String(chars, offset, length).getBytes(charset).length;
        }
    }

    /** A surrogate pair is 4 bytes in UTF-8: counted 4 at the high half, 0 at the low one. */
    private long utf8(char c) {
        if (c < 0x80) {
            pendingHighSurrogate = false;
            return 1;
        }
        if (c < 0x800) {
            pendingHighSurrogate = false;
            return 2;
        }
        if (Character.isHighSurrogate(c)) {
            pendingHighSurrogate = true;
            return 4;
        }
        if (Character.isLowSurrogate(c) && pendingHighSurrogate) {
            pendingHighSurrogate = false;
            return 0;
        }
        pendingHighSurrogate = false;
        return 3;
    }
}
