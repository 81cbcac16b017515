package dev.bulkoffboarding.mail;

import java.net.URI;
import java.util.Locale;
import java.util.Map;

import dev.bulkoffboarding.report.RunSummary;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.env.Environment;
import org.springframework.mail.MailException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * E-mails a summary of each run that {@code serve} started, and of each inbox file that did not
 * become a run. The mail holds counts and a link, never a row: rows hold personal data, and the
 * link leads to a page behind a login.
 */
@Component
@ConditionalOnWebApplication
public class RunNotifier {

    private static final Log logger = LogFactory.getLog(RunNotifier.class);

    private final RunMailProperties properties;

    private final ObjectProvider<JavaMailSender> mailSender;

    private final URI baseUrl;

    RunNotifier(RunMailProperties properties, ObjectProvider<JavaMailSender> mailSender, Environment environment) {
        this.properties = properties;
        this.mailSender = mailSender;
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
