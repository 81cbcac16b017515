package dev.bulkoffboarding.quipteams;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import reactor.netty.http.client.PrematureCloseException;
import tools.jackson.databind.JsonNode;

/**
 * What one HTTP attempt to create a device action tells us, classified once, here. Each kind has
 * one behaviour in {@link DeviceActionSubmitter}:
 * <ul>
 * <li>{@link Created}: a 2xx that carries the action's id, the row is done;</li>
 * <li>{@link AcceptedWithoutId}: a 2xx without the action's id (a proxy, a wrong host): look it up,
 * never resend it blind;</li>
 * <li>{@link Permanent}: a 4xx other than 401/403/408/429 in the vendor's error envelope, the vendor
 * said no to this row;</li>
 * <li>{@link NotSent}: nothing can have been created (429, or the request never left), retry;</li>
 * <li>{@link MaybeSent}: the vendor may have created it (5xx, 408, a timeout or reset after the
 * request was sent), reconcile before anything is resent;</li>
 * <li>{@link Systemic}: no row can succeed (401/403, or a 4xx without the vendor's error envelope:
 * that is not the Quipteams API answering), stop the run.</li>
 * </ul>
 */
public sealed interface AttemptOutcome {

    /** Vendor messages are stored per row and shown to people; keep them bounded. */
    int MAX_MESSAGE_LENGTH = 500;

    /**
     * A 2xx with the action's id: the action exists.
     *
     * @param vendorId {@code data.id}, never null
     * @param actionId {@code data.action_id}, null if the body did not say
     * @param status {@code data.status}, null if the body did not say
     * @param httpStatus the 2xx status
     */
    record Created(String vendorId, String actionId, String status, int httpStatus) implements AttemptOutcome {
    }

    /**
     * A 2xx whose body does not carry the action's id ({@code data.id}): not proof of a submission.
     * Something answered (the vendor with a body we cannot read, a proxy, the wrong host); the
     * vendor may or may not have created the action. Reconciled, never resent blind.
     *
     * @param httpStatus the 2xx status
     * @param reason what came back, for people
     */
    record AcceptedWithoutId(int httpStatus, String reason) implements AttemptOutcome {
    }

    /**
     * The vendor rejected this row; retrying cannot help.
     *
     * @param httpStatus the 4xx status
     * @param code the envelope's {@code error.code}, else the status name
     * @param message the envelope's {@code error.message} (with details), else the status text
     */
    record Permanent(int httpStatus, String code, String message) implements AttemptOutcome {
    }

    /**
     * Nothing was created: the request never left, or the vendor refused it for the rate limit.
     *
     * @param httpStatus 429, or null when there was no response
     * @param reason what happened, for people
     * @param retryAt when the vendor allows the next request (a 429's Retry-After), else null
     */
    record NotSent(Integer httpStatus, String reason, Instant retryAt) implements AttemptOutcome {
    }

    /**
     * The request was sent and the answer is unknown: the vendor may have created the action.
     *
     * @param httpStatus the 5xx or 408, or null when no response came back
     * @param reason what happened, for people
     */
    record MaybeSent(Integer httpStatus, String reason) implements AttemptOutcome {
    }

    /**
     * No row can succeed until a person acts (401/403).
     *
     * @param httpStatus the status
     * @param reason the message for people; never contains the key
     */
    record Systemic(int httpStatus, String reason) implements AttemptOutcome {

        /** The exception that stops the run. */
        public SystemicFailureException toException() {
            return new SystemicFailureException(reason);
        }

    }

    /**
     * Classifies a response by its HTTP status first (quipteams-api.md §4 advises it), using the
     * body only for details.
     *
     * @param status the HTTP status code
     * @param headers the response headers (for Retry-After)
     * @param body the response body, possibly empty or not JSON
     * @param receivedAt when the response arrived (Retry-After seconds count from it)
     */
    static AttemptOutcome fromResponse(int status, HttpHeaders headers, String body, Instant receivedAt) {
        return fromResponse(status, headers, body, receivedAt, null);
    }

    /**
     * Classifies a response, naming {@code baseUrl} when the answer shows it is not the Quipteams
     * API.
     *
     * @param baseUrl where the request went, for the message of a systemic failure; may be null
     */
    static AttemptOutcome fromResponse(int status, HttpHeaders headers, String body, Instant receivedAt,
            URI baseUrl) {
        JsonNode json = QuipteamsJson.parseOrNull(body);
        if (status >= 200 && status < 300) {
            JsonNode data = (json == null) ? null : json.path("data");
            String id = field(data, "id");
            if (id == null || id.isBlank()) {
                String contentType = headers.getFirst(HttpHeaders.CONTENT_TYPE);
                return new AcceptedWithoutId(status, status + " without the device action's id (" + ((json == null)
                        ? "the body is not JSON" : "no data.id in the body") + ((contentType != null)
                                ? ", Content-Type " + truncate(contentType) : "") + ")");
            }
            return new Created(id, field(data, "action_id"), field(data, "status"), status);
        }
        if (status == 401) {
            return new Systemic(status, "API key rejected (" + describe(status, json) + "): check QUIPTEAMS_API_KEY");
        }
        if (status == 403) {
            return new Systemic(status, "API key not allowed to create device actions (" + describe(status, json)
                    + "): check the key's scopes and that API access is enabled for the company");
        }
        if (status == 429) {
            Instant retryAt = RateLimitHeaders.retryAt(headers, receivedAt);
            if (retryAt == null) {
                // no usable Retry-After: the window reset is the next best promise
                retryAt = RateLimitHeaders.resetAt(headers, receivedAt);
            }
            return new NotSent(status, "rate limited (" + describe(status, json) + ")", retryAt);
        }
        if (status == 408 || status >= 500 || status < 200 || (status >= 300 && status < 400)) {
            // the vendor may have inserted the action before failing (a 500 from a notification
            // e-mail sent after the insert is enough); redirects are never expected for a POST
            return new MaybeSent(status, describe(status, json));
        }
        if (!isErrorEnvelope(json)) {
            // The vendor wraps every error in {"error": {...}} (quipteams-api.md §4). A 4xx without it
            // comes from something else at that address (a web server's 404 page, a proxy): every
            // row would get the same answer, so it says nothing about this row.
            return new Systemic(status, where(baseUrl) + " does not look like the Quipteams API: " + status + " with "
                    + describeBody(headers, body) + "; check quipteams.base-url");
        }
        return new Permanent(status, errorCode(status, json), errorMessage(status, json));
    }

    private static boolean isErrorEnvelope(JsonNode json) {
        return json != null && json.path("error").isObject();
    }

    /** The address without user information, query or fragment: what a person compares with the setting. */
    static String where(URI baseUrl) {
        if (baseUrl == null) {
            return "quipteams.base-url";
        }
        try {
            return new URI(baseUrl.getScheme(), null, baseUrl.getHost(), baseUrl.getPort(), baseUrl.getPath(), null,
                    null).toString();
        }
        catch (URISyntaxException ex) {
            return "quipteams.base-url";
        }
    }

    private static String describeBody(HttpHeaders headers, String body) {
        MediaType type = null;
        try {
            type = headers.getContentType();
        }
        catch (InvalidMediaTypeException ex) {
            // judged by the body alone
        }
        String start = (body == null) ? "" : body.stripLeading();
        if ((type != null && type.isCompatibleWith(MediaType.TEXT_HTML)) || start.startsWith("<")) {
            return "an HTML page";
        }
        if (start.isEmpty()) {
            return "an empty body";
        }
        return "a body that is not the vendor's {\"error\": {...}} envelope";
    }

    /**
     * Classifies a failure without a response.
     *
     * @param error what the HTTP client raised
     * @param requestSent whether request bytes had started to leave: if not, the vendor cannot
     *     have seen the request; if so, it may have processed it
     */
    static AttemptOutcome fromError(Throwable error, boolean requestSent) {
        String reason = describe(error);
        return requestSent ? new MaybeSent(null, reason) : new NotSent(null, reason, null);
    }

    /** A short description of a network failure, never holding headers or the key. */
    static String describe(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectTimeoutException) {
                return "connect timeout (" + cause.getMessage() + ")";
            }
            if (cause instanceof UnknownHostException) {
                return "unknown host " + cause.getMessage();
            }
            if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
                return "cannot connect (" + cause.getMessage() + ")";
            }
            if (cause instanceof ReadTimeoutException || cause instanceof TimeoutException) {
                return "no response within the response timeout";
            }
            if (cause instanceof PrematureCloseException) {
                return "connection closed before the response was complete";
            }
            if (cause.getCause() == null || cause.getCause() == cause) {
                String kind = (cause instanceof IOException) ? "I/O error" : cause.getClass().getSimpleName();
                return truncate(kind + ": " + cause.getMessage());
            }
        }
        return "unknown error";
    }

    private static String field(JsonNode data, String name) {
        return (data == null) ? null : QuipteamsJson.text(data.path(name));
    }

    /** "401 UNAUTHORIZED", or "422 Unprocessable Entity" when the body is not the envelope. */
    private static String describe(int status, JsonNode json) {
        String code = envelopeField(json, "code");
        return status + " " + ((code != null) ? code : statusText(status));
    }

    private static String errorCode(int status, JsonNode json) {
        String code = envelopeField(json, "code");
        if (code != null) {
            return truncate(code);
        }
        HttpStatus known = HttpStatus.resolve(status);
        return (known != null) ? known.name() : "HTTP_" + status;
    }

    private static String errorMessage(int status, JsonNode json) {
        String message = envelopeField(json, "message");
        if (message == null) {
            message = statusText(status);
        }
        JsonNode details = (json == null) ? null : json.path("error").path("details");
        if (details != null && !details.isMissingNode() && !details.isNull()) {
            // validation details name the offending field: worth keeping for the person fixing the CSV
            message = message + " (details: " + details + ")";
        }
        return truncate(message);
    }

    private static String envelopeField(JsonNode json, String name) {
        String value = (json == null) ? null : QuipteamsJson.text(json.path("error").path(name));
        return (value == null || value.isBlank()) ? null : value.strip();
    }

    private static String statusText(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return (known != null) ? known.getReasonPhrase() : "HTTP " + status;
    }

    static String truncate(String text) {
        if (text == null || text.length() <= MAX_MESSAGE_LENGTH) {
            return text;
        }
        return text.substring(0, MAX_MESSAGE_LENGTH - 1) + "…";
    }

}
