package io.flinkcommander.apply;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Nonces and names derived from a command id, so that a replayed command writes exactly what
 * the first one wrote and the operator sees nothing new to do.
 */
final class Nonces {

    private Nonces() {
    }

    /** A positive long from the id: {@code restartNonce}, {@code savepointTriggerNonce}, ... */
    static long nonce(String commandId) {
        long value = ByteBuffer.wrap(sha256(commandId)).getLong() & Long.MAX_VALUE;
        return value == 0 ? 1 : value;
    }

    /** A short lower-case hex suffix from the id, for resource names. */
    static String suffix(String commandId) {
        return HexFormat.of().formatHex(sha256(commandId), 0, 5);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
