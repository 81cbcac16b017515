package dev.bulkoffboarding.mail;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import dev.bulkoffboarding.report.RunSummary;
import dev.bulkoffboarding.tracking.TrackedAction;
import dev.bulkoffboarding.tracking.TrackingProperties;
import dev.bulkoffboarding.tracking.TrackingRefreshed;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * E-mails a summary of each run that {@code serve} started, of each inbox file that did not
 * become a run, and a digest of stalled actions after a refresh of the vendor's state. The mail holds counts and a link, never a row: rows hold personal data, and the
 * link leads to a page behind a login.
 */
@Component
@ConditionalOnWebApplication
public class RunNotifier {

    private static final Log logger = LogFactory.getLog(RunNotifier.class);

    private static final DateTimeFormatter DIGEST_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
        .withZone(ZoneOffset.UTC);

    private final RunMailProperties properties;

    private final ObjectProvider<JavaMailSender> mailSender;

    private final URI baseUrl;

    private final TrackingProperties tracking;

    RunNotifier(RunMailProperties properties, ObjectProvider<JavaMailSender> mailSender, Environment environment,
            TrackingProperties tracking) {
        this.properties = properties;
        this.mailSender = mailSender;
        this.tracking = tracking;
        this.baseUrl = (properties.baseUrl() != null) ? properties.baseUrl()
                : URI.create("http://" + environment.getProperty("server.address", "127.0.0.1") + ":"
                        + environment.getProperty("server.port", "8080"));
        if (properties.enabled() && mailSender.getIfAvailable() == null) {
            logger.warn("offboarding.mail.to is set but no SMTP server is configured (spring.mail.host): "
                    + "no run summaries will be e-mailed.");
        }
    }

    /** Sends the summary of a finished (or stopped, or failed) run. */
    public void runFinished(RunSummary summary, String trigger) {
        String subject = String.format(Locale.ROOT, "[bulk-offboarding]%s Run %d %s: %d submitted, %d need attention, "
                + "%d to retry (%s)", summary.sandbox() ? " SANDBOX" : "", summary.runId(),
                summary.status().toLowerCase(Locale.ROOT), summary.count("SUBMITTED"), needAttention(summary),
                summary.count("FAILED") + summary.count("SUBMITTING"), summary.fileName());
        StringBuilder body = new StringBuilder();
        if (summary.sandbox()) {
            body.append(RunSummary.SANDBOX_NOTICE).append("\n\n");
        }
        body.append("Run ").append(summary.runId()).append(" of ").append(summary.fileName()).append(" (")
            .append(trigger.toLowerCase(Locale.ROOT)).append(") ended ").append(summary.status()).append(".\n\n");
        body.append("Records: ").append(summary.totalRecords()).append('\n');
        for (Map.Entry<String, Long> outcome : summary.outcomes().entrySet()) {
            if (outcome.getValue() > 0) {
                body.append(String.format(Locale.ROOT, "  %-18s %d%n", outcome.getKey(), outcome.getValue()));
            }
        }
        body.append("Wipes: ").append(summary.wipes()).append("; new recipients: ").append(summary.newRecipients())
            .append('\n');
        if (summary.message() != null) {
            body.append('\n').append(summary.message()).append('\n');
        }
        body.append("\nReview it: ").append(runLink(summary.runId())).append('\n');
        send(subject, body.toString());
    }

    /** Tells that an inbox file was not run, and why. */
    public void fileNotRun(String fileName, String reason) {
        send("[bulk-offboarding] " + fileName + " was not run",
                fileName + " from the inbox was not run:\n\n" + reason + "\n\nInbox: " + this.baseUrl.resolve("/inbox")
                        + "\n");
    }

    /**
     * The stalled-actions digest: one mail per refresh of the vendor's state, listing every action
     * that has not changed for {@code offboarding.tracking.stalled-after}; no mail when none has.
     * Each action is named by run, line, serial number, vendor action id and status: no names or
     * e-mail addresses (the run page, behind a login, has the rest).
     */
    @EventListener
    public void trackingRefreshed(TrackingRefreshed refresh) {
        if (refresh.stalled().isEmpty() || !this.properties.stalledDigest()) {
            return;
        }
        List<TrackedAction> stalled = refresh.stalled()
            .stream()
            .sorted(Comparator.comparing(RunNotifier::since).thenComparing(TrackedAction::runId)
                .thenComparing(TrackedAction::lineNumber))
            .toList();
        int count = stalled.size();
        String subject = String.format(Locale.ROOT, "[bulk-offboarding] %d device action%s stalled at Quipteams "
                + "(no change for %s)", count, (count == 1) ? "" : "s", describe(this.tracking.stalledAfter()));
        StringBuilder body = new StringBuilder();
        body.append(String.format(Locale.ROOT, "%d device action%s ha%s not changed at Quipteams for %s or more and "
                + "%s not finished (offboarding.tracking.stalled-after). A person should ask Quipteams about %s.%n%n",
                count, (count == 1) ? "" : "s", (count == 1) ? "s" : "ve", describe(this.tracking.stalledAfter()),
                (count == 1) ? "is" : "are", (count == 1) ? "it" : "them"));
        body.append(String.format(Locale.ROOT, "%-6s %-6s %-20s %-20s %-16s %s%n", "run", "line", "serial number",
                "action id", "status", "unchanged since"));
        int shown = Math.min(count, Math.max(1, this.properties.digestMaxLines()));
        for (TrackedAction action : stalled.subList(0, shown)) {
            body.append(String.format(Locale.ROOT, "%-6d %-6d %-20s %-20s %-16s %s%n", action.runId(),
                    action.lineNumber(), oneLine(action.serialNumber()), oneLine(action.actionId()),
                    oneLine(action.status()), (since(action) == Instant.MAX) ? "-" : DIGEST_TIME.format(since(action))));
        }
        if (shown < count) {
            body.append("... and ").append(count - shown).append(" more (see the runs' pages).\n");
        }
        body.append('\n');
        new TreeSet<>(stalled.stream().map(TrackedAction::runId).toList())
            .forEach((runId) -> body.append("Run ").append(runId).append(": ")
                .append(this.baseUrl.resolve("/runs/" + runId + "?stalled=true"))
                .append('\n'));
        send(subject, body.toString());
    }

    private static Instant since(TrackedAction action) {
        Instant since = action.unchangedSince();
        return (since != null) ? since : Instant.MAX;
    }

    /** Vendor text in a fixed-width line: no line breaks, at most 40 characters. */
    private static String oneLine(String value) {
        if (value == null) {
            return "-";
        }
        String line = value.replaceAll("\\s+", " ").strip();
        return (line.length() > 40) ? line.substring(0, 39) + "…" : line;
    }

    private static String describe(Duration duration) {
        if (duration.toHours() % 24 == 0 && duration.toDays() > 0) {
            return duration.toDays() + ((duration.toDays() == 1) ? " day" : " days");
        }
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    URI runLink(long runId) {
        return this.baseUrl.resolve("/runs/" + runId);
    }

    private static long needAttention(RunSummary summary) {
        return summary.count("INVALID") + summary.count("DUPLICATE") + summary.count("REJECTED");
    }

    private void send(String subject, String text) {
        JavaMailSender sender = this.mailSender.getIfAvailable();
        if (!this.properties.enabled() || sender == null) {
            return;
        }
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(this.properties.from());
        message.setTo(this.properties.to().toArray(String[]::new));
        message.setSubject(subject);
        message.setText(text);
        try {
            sender.send(message);
        }
        catch (MailException ex) {
            // A mail server that is down must not fail the run, which has happened already.
            logger.warn("Could not e-mail the summary '" + subject + "': " + ex.getMessage());
        }
    }

}
