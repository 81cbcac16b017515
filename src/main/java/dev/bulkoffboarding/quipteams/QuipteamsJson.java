package dev.bulkoffboarding.quipteams;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The package's own JSON mapper and the tolerant readers of vendor responses. The client does not
 * reuse the application's mapper: the wire format must not change when someone tunes that one.
 */
final class QuipteamsJson {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private QuipteamsJson() {
    }

    /** Parses a response body; null when it is empty or not JSON (vendors and proxies send HTML). */
    static JsonNode parseOrNull(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(body);
        }
        catch (RuntimeException notJson) {
            return null;
        }
    }

    /** A scalar as text (numbers and booleans too); null for missing, null, objects and arrays. */
    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isObject() || node.isArray()) {
            return null;
        }
        return node.isString() ? node.stringValue() : node.asString();
    }

}
