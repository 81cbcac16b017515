package dev.bulkoffboarding.webhooks;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The deliveries we have acted on ({@code webhook_delivery}), by the vendor's
 * {@code X-Quip-Delivery-Id}: the vendor may deliver one event more than once, and a replay must
 * change nothing. Ids are forgotten after {@code offboarding.webhooks.remember-deliveries}.
 */
@Repository
class WebhookDeliveryLog {

    /** The column's size; a longer id (never seen from the vendor) is cut, which keeps it unique enough. */
    static final int ID_LENGTH = 200;

    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    private final JdbcTemplate jdbc;

    private volatile Instant prunedAt = Instant.EPOCH;

    WebhookDeliveryLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records a delivery, in the caller's transaction: true the first time, false when it was
     * recorded before. Two transactions recording one id at once: the second waits for the first
     * and then fails on the primary key (the caller retries, and this answers false).
     */
    boolean recordFirst(String deliveryId, String eventType, Instant now) {
        String id = cut(deliveryId, ID_LENGTH);
        Integer known = this.jdbc.queryForObject("select count(*) from webhook_delivery where delivery_id = ?",
                Integer.class, id);
        if (known != null && known > 0) {
            return false;
        }
        this.jdbc.update("insert into webhook_delivery (delivery_id, event_type, received_at) values (?, ?, ?)", id,
                cut(eventType, 100), Timestamp.from(now));
        return true;
    }

    /** Forgets ids older than {@code remember}, at most once an hour. */
    void prune(Duration remember, Instant now) {
        if (Duration.between(this.prunedAt, now).compareTo(PRUNE_EVERY) < 0) {
            return;
        }
        this.prunedAt = now;
        this.jdbc.update("delete from webhook_delivery where received_at < ?", Timestamp.from(now.minus(remember)));
    }

    static String cut(String value, int length) {
        return (value == null || value.length() <= length) ? value : value.substring(0, length);
    }

}
