package dev.bulkoffboarding.quipteams;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret of one vendor webhook endpoint, with which Quipteams signs each delivery (§13 of
 * quipteams-api.md): {@code X-Quip-Signature: sha256=<hex>}, read as the HMAC-SHA256 of the raw
 * request body keyed with the secret. Like {@link ApiKey}, a class and not a string so that it
 * cannot be printed by accident: {@link #toString()} shows stars only, and the secret itself leaves
 * only through {@link #value()}, for the file that stores it.
 */
public final class WebhookSecret {

    /** The signature header's documented prefix. */
    public static final String SIGNATURE_PREFIX = "sha256=";

    private static final String HMAC = "HmacSHA256";

    /** A SHA-256 HMAC in hex: 64 characters. */
    private static final int SIGNATURE_HEX_LENGTH = 64;

    private final byte[] key;

    private final String value;

    private WebhookSecret(String value) {
        this.value = value;
        this.key = value.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Wraps a secret, stripped. Throws {@link IllegalArgumentException} for a null or blank one (the
     * message does not repeat the value).
     */
    public static WebhookSecret of(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("The webhook secret is blank");
        }
        return new WebhookSecret(secret.strip());
    }

    /**
     * Whether {@code signatureHeader} is this secret's signature of {@code body}. The comparison
     * takes the same time wherever the first difference is ({@link MessageDigest#isEqual}), so
     * that timing tells an attacker nothing about the expected signature.
     */
    public boolean signed(byte[] body, String signatureHeader) {
        byte[] given = parse(signatureHeader);
        return given != null && MessageDigest.isEqual(hmac(body), given);
    }

    /** The {@code X-Quip-Signature} value for {@code body}: {@code sha256=<hex>}. */
    public String signature(byte[] body) {
        return SIGNATURE_PREFIX + HexFormat.of().formatHex(hmac(body));
    }

    /** The secret itself, for the file only the application reads. */
    public String value() {
        return this.value;
    }

    private byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(this.key, HMAC));
            return mac.doFinal(body);
        }
        catch (GeneralSecurityException ex) {
            // every Java runtime has HmacSHA256; the message never includes the key
            throw new IllegalStateException("HmacSHA256 is not available", ex);
        }
    }

    /** The digest of {@code sha256=<64 hex>} (prefix in any case); null for anything else. */
    private static byte[] parse(String header) {
        if (header == null) {
            return null;
        }
        String text = header.strip();
        if (!text.toLowerCase(Locale.ROOT).startsWith(SIGNATURE_PREFIX)) {
            return null;
        }
        String hex = text.substring(SIGNATURE_PREFIX.length());
        if (hex.length() != SIGNATURE_HEX_LENGTH) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(hex);
        }
        catch (IllegalArgumentException notHex) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "****";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookSecret that && MessageDigest.isEqual(this.key, that.key);
    }

    @Override
    public int hashCode() {
        return this.value.hashCode();
    }

}
