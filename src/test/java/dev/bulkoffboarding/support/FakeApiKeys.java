package dev.bulkoffboarding.support;

import java.util.concurrent.ThreadLocalRandom;

/**
 * API keys for tests that check where a key must never appear. They have the vendor's documented
 * live shape ({@code qk_live_} and a random tail), so the masking under test treats them as real
 * keys, but they are made when the test JVM starts: no key-like value is committed, and no test can
 * pass because of something special about one fixed string.
 */
public final class FakeApiKeys {

    public static final String PREFIX = "qk_live_";

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private FakeApiKeys() {
    }

    /** A new key: the live prefix and a random tail of 24 letters and digits. */
    public static String live() {
        StringBuilder key = new StringBuilder(PREFIX);
        for (int i = 0; i < 24; i++) {
            key.append(ALPHABET.charAt(ThreadLocalRandom.current().nextInt(ALPHABET.length())));
        }
        return key.toString();
    }

}
