package dev.bulkoffboarding.quipteams;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Quipteams API key. It is a class and not a string so that it cannot be printed by accident:
 * {@link #toString()} shows at most the documented prefix ({@code qk_live_****}), and the key
 * itself leaves only through {@link #bearerValue()}, straight into the Authorization header.
 */
public final class ApiKey {

    /** The documented key formats are {@code qk_live_…} and {@code qk_test_…}. */
    private static final Pattern PREFIX = Pattern.compile("^(qk_[a-z]+_).+");

    private final String key;

    private ApiKey(String key) {
        this.key = key;
    }

    /**
     * Wraps a key, trimmed. Throws {@link IllegalArgumentException} for a null or blank key (the
     * message does not repeat the value).
     */
    public static ApiKey of(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("The Quipteams API key is blank: set QUIPTEAMS_API_KEY");
        }
        return new ApiKey(key.strip());
    }

    /** The Authorization header value, {@code Bearer <key>}. */
    public String bearerValue() {
        return "Bearer " + key;
    }

    /** The documented prefix and stars, e.g. {@code qk_live_****}; never the key. */
    @Override
    public String toString() {
        return mask(key);
    }

    static String mask(String key) {
        Matcher matcher = PREFIX.matcher(key.strip());
        return (matcher.matches() ? matcher.group(1) : "") + "****";
    }

    @Override
    public boolean equals(Object other) {
        // constant-time, like any comparison of secrets
        return other instanceof ApiKey that && MessageDigest.isEqual(bytes(), that.bytes());
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    private byte[] bytes() {
        return key.getBytes(StandardCharsets.UTF_8);
    }

}
