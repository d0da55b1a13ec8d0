package io.stasis.coordinator.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** {@code mac = HMAC-SHA256(key = secret, message = "stasis-auth-v1" ‖ nonce ‖ u16 role)}. */
public final class AuthMac {

    private static final byte[] LABEL = "stasis-auth-v1".getBytes(StandardCharsets.US_ASCII);

    private AuthMac() {
    }

    public static Bytes compute(Secret secret, Bytes nonce, int role) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.toArray(), "HmacSHA256"));
            mac.update(LABEL);
            mac.update(nonce.toArray());
            mac.update(new byte[] {(byte) role, (byte) (role >>> 8)});
            return Bytes.of(mac.doFinal());
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory in every Java platform.
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison, so the answer time says nothing about the expected mac. */
    public static boolean verify(Secret secret, Bytes nonce, int role, Bytes mac) {
        return MessageDigest.isEqual(compute(secret, nonce, role).toArray(), mac.toArray());
    }
}
