package io.vigil.servlet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * A secret compared in constant time: both sides are hashed to SHA-256 first so that
 * {@link MessageDigest#isEqual} compares equal-length arrays and the time taken reveals neither the
 * content nor the length of the expected value.
 */
final class Credentials {

    private final byte[] expectedHash;

    private Credentials(String expected) {
        this.expectedHash = sha256(expected);
    }

    static Credentials bearer(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("The bearer token must not be blank");
        }
        return new Credentials("Bearer " + token);
    }

    static Credentials basic(String user, String password) {
        if (user == null || user.isEmpty() || user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("The basic-auth user must be non-empty and contain no ':'");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("The basic-auth password must not be empty");
        }
        return new Credentials("Basic " + user + ':' + password);
    }

    /** Whether the {@code Authorization} header carries this secret. */
    boolean matches(String authorization) {
        if (authorization == null) {
            return false;
        }
        String presented = authorization.trim();
        if (regionStartsWith(presented, "Basic ")) {
            try {
                presented = "Basic " + new String(Base64.getDecoder().decode(presented.substring(6).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                return false;
            }
        } else if (regionStartsWith(presented, "Bearer ")) {
            presented = "Bearer " + presented.substring(7).trim();
        } else {
            return false;
        }
        return MessageDigest.isEqual(expectedHash, sha256(presented));
    }

    private static boolean regionStartsWith(String s, String scheme) {
        return s.regionMatches(true, 0, scheme, 0, scheme.length());
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }
}
