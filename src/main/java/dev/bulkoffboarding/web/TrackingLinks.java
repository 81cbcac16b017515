package dev.bulkoffboarding.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Tracking links come from the vendor and end up in an {@code href}: only an absolute http or
 * https address with a host is one. Anything else ({@code javascript:}, {@code data:}, a relative
 * path, text with spaces) is shown as text, never as a link.
 */
final class TrackingLinks {

    private TrackingLinks() {
    }

    static Optional<String> safe(String link) {
        if (link == null || link.isBlank()) {
            return Optional.empty();
        }
        String candidate = link.strip();
        try {
            URI uri = new URI(candidate);
            String scheme = (uri.getScheme() == null) ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null && !uri.isOpaque()
                    && uri.getRawUserInfo() == null) {
                return Optional.of(candidate);
            }
        }
        catch (URISyntaxException notAnAddress) {
            // shown as text
        }
        return Optional.empty();
    }

}
