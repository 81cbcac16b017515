package dev.bulkoffboarding.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.bulkoffboarding.quipteams.ApiMode;
import dev.bulkoffboarding.job.ExitCodes;
import dev.bulkoffboarding.quipteams.QuipteamsCallException;
import dev.bulkoffboarding.quipteams.SystemicFailureException;
import dev.bulkoffboarding.quipteams.WebhookClient;
import dev.bulkoffboarding.quipteams.WebhookClient.Delivery;
import dev.bulkoffboarding.quipteams.WebhookClient.Registered;
import dev.bulkoffboarding.quipteams.WebhookClient.Webhook;
import dev.bulkoffboarding.report.RunSummary;
import dev.bulkoffboarding.webhooks.WebhookProperties;
import dev.bulkoffboarding.webhooks.WebhookSecrets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code webhooks register} and {@code webhooks list}: the vendor's webhooks that tell
 * {@code serve} at once when an action moves. The signing secret the vendor returns is stored for
 * the application ({@link WebhookSecrets}) and never printed.
 */
@Component
@Command(name = "webhooks", mixinStandardHelpOptions = true,
        description = { "Quipteams webhooks: serve hears at once when a device action moves (shipped, received, "
                + "wiped), instead of at the next tracking refresh.",
                "Without a subcommand, the same as 'webhooks list'." },
        subcommands = { WebhooksCommand.Register.class, WebhooksCommand.ListWebhooks.class })
class WebhooksCommand implements Callable<Integer> {

    private final ListWebhooks list;

    @Spec
    CommandSpec spec;

    WebhooksCommand(ListWebhooks list) {
        this.list = list;
    }

    @Override
    public Integer call() {
        this.list.spec = this.spec;
        return this.list.call();
    }

    /** What a failed vendor call tells the operator; exit 1 (try again, or fix the key). */
    static int failed(PrintWriter err, String doing, RuntimeException ex) {
        String reason = (ex instanceof SystemicFailureException systemic) ? systemic.reason() : ex.getMessage();
        err.println(doing + " failed: " + reason);
        err.flush();
        return ExitCodes.FAILED;
    }

    /** {@code webhooks register --url URL}. */
    @Component
    @Command(name = "register", mixinStandardHelpOptions = true,
            description = { "Create a Quipteams webhook that delivers to URL, and keep its signing secret where only "
                    + "this application reads it (offboarding.webhooks.secrets-file). The secret is never shown.",
                    "URL is where Quipteams reaches serve's receiver over HTTPS: https://<your host>/webhooks/quipteams." })
    static class Register implements Callable<Integer> {

        /** Reached only when the command runs: it builds an HTTP client that other commands skip. */
        private final ObjectProvider<WebhookClient> client;

        private final WebhookSecrets secrets;

        private final WebhookProperties properties;

        private final ApiMode apiMode;

        @Option(names = "--url", required = true, paramLabel = "URL",
                description = "the receiver's address, https://.../webhooks/quipteams")
        String url;

        @Option(names = "--event", paramLabel = "TYPE",
                description = "an event type to receive; repeat for several (default: offboarding.webhooks.events, "
                        + "logistics.*)")
        List<String> events;

        @Option(names = "--description", paramLabel = "TEXT", defaultValue = "bulk-offboarding: device action tracking",
                description = "shown in the Quipteams dashboard (default: ${DEFAULT-VALUE})")
        String description;

        @Spec
        CommandSpec spec;

        Register(ObjectProvider<WebhookClient> client, WebhookSecrets secrets, WebhookProperties properties, ApiMode apiMode) {
            this.client = client;
            this.secrets = secrets;
            this.properties = properties;
            this.apiMode = apiMode;
        }

        @Override
        public Integer call() {
            PrintWriter out = this.spec.commandLine().getOut();
            PrintWriter err = this.spec.commandLine().getErr();
            URI target = target(this.url, this.apiMode.sandbox());
            if (target == null) {
                err.println("--url must be an https:// address that Quipteams can reach, such as "
                        + "https://offboarding.example.com/webhooks/quipteams (Quipteams requires HTTPS). Nothing was "
                        + "registered.");
                err.flush();
                return ExitCodes.USAGE;
            }
            List<String> subscribed = (this.events == null || this.events.isEmpty())
                    ? this.properties.events() : this.events.stream().map(String::strip).toList();
            if (this.apiMode.sandbox()) {
                out.println("*** " + RunSummary.SANDBOX_NOTICE + " ***");
            }
            Registered registered;
            try {
                registered = this.client.getObject().register(target, subscribed, this.description);
            }
            catch (SystemicFailureException | QuipteamsCallException ex) {
                return failed(err, "Registering the webhook", ex);
            }
            try {
                this.secrets.store(registered.webhook().id(), registered.secret());
            }
            catch (UncheckedIOException ex) {
                err.printf(Locale.ROOT, "Quipteams created webhook %s, but its secret could not be stored in %s (%s). "
                        + "Deliveries to it will be refused: delete the webhook in the Quipteams dashboard, fix the "
                        + "folder, and register again.%n", registered.webhook().id(), this.secrets.file(),
                        ex.getCause().getClass().getSimpleName());
                err.flush();
                return ExitCodes.FAILED;
            }
            Webhook webhook = registered.webhook();
            out.printf(Locale.ROOT, "Registered webhook %s: Quipteams delivers %s to %s.%n", webhook.id(),
                    String.join(", ", webhook.events().isEmpty() ? subscribed : webhook.events()),
                    (webhook.url() != null) ? webhook.url() : target);
            out.printf(Locale.ROOT, "Its signing secret is stored in %s (readable by this user only) and is not "
                    + "shown; serve accepts deliveries signed with it.%n", this.secrets.file());
            if (!target.getPath().endsWith("/webhooks/quipteams")) {
                out.println("Note: serve receives deliveries at /webhooks/quipteams; make sure the URL leads there.");
            }
            out.println("Check its deliveries with 'webhooks list'.");
            out.flush();
            return ExitCodes.OK;
        }

        /**
         * The URL if Quipteams may deliver there: absolute HTTPS with a host; plain HTTP to this machine
         * only for the built-in sandbox (demos and tests), which accepts it. Null otherwise.
         */
        static URI target(String text, boolean sandbox) {
            URI uri;
            try {
                uri = new URI(text.strip());
            }
            catch (URISyntaxException ex) {
                return null;
            }
            String scheme = (uri.getScheme() == null) ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || uri.getRawUserInfo() != null) {
                return null;
            }
            if (scheme.equals("https")) {
                return uri;
            }
            return (scheme.equals("http") && sandbox && isLoopback(uri.getHost())) ? uri : null;
        }

        private static boolean isLoopback(String host) {
            if (host.equalsIgnoreCase("localhost")) {
                return true;
            }
            try {
                // literal addresses only: no name is looked up
                return host.matches("[0-9.]+|\\[[0-9a-fA-F:]+\\]")
                        && InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
            }
            catch (java.net.UnknownHostException ex) {
                return false;
            }
        }

    }

    /** {@code webhooks list}. */
    @Component
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Show the company's Quipteams webhooks and how their recent deliveries went.")
    static class ListWebhooks implements Callable<Integer> {

        /** Reached only when the command runs: it builds an HTTP client that other commands skip. */
        private final ObjectProvider<WebhookClient> client;

        private final WebhookSecrets secrets;

        private final ApiMode apiMode;

        @Spec
        CommandSpec spec;

        ListWebhooks(ObjectProvider<WebhookClient> client, WebhookSecrets secrets, ApiMode apiMode) {
            this.client = client;
            this.secrets = secrets;
            this.apiMode = apiMode;
        }

        @Override
        public Integer call() {
            PrintWriter out = this.spec.commandLine().getOut();
            List<Webhook> webhooks;
            try {
                webhooks = this.client.getObject().list();
            }
            catch (SystemicFailureException | QuipteamsCallException ex) {
                return failed(this.spec.commandLine().getErr(), "Listing the webhooks", ex);
            }
            if (this.apiMode.sandbox()) {
                out.println("*** " + RunSummary.SANDBOX_NOTICE + " ***");
            }
            if (webhooks.isEmpty()) {
                out.println("No Quipteams webhook is registered. Register serve's receiver with "
                        + "'webhooks register --url https://<your host>/webhooks/quipteams'.");
                out.flush();
                return ExitCodes.OK;
            }
            Set<String> ours = this.secrets.registeredWebhooks();
            for (Webhook webhook : webhooks) {
                long succeeded = webhook.recentDeliveries()
                    .stream()
                    .filter((delivery) -> "success".equalsIgnoreCase(delivery.status()))
                    .count();
                out.printf(Locale.ROOT, "Webhook %s -> %s%n", webhook.id(), webhook.url());
                out.printf(Locale.ROOT, "  events: %s; %s; secret %s; %d of %d recent deliveries succeeded%n",
                        String.join(", ", webhook.events()),
                        Boolean.FALSE.equals(webhook.active()) ? "inactive" : "active",
                        ours.contains(webhook.id()) ? "stored here" : "not stored here",
                        succeeded, webhook.recentDeliveries().size());
                if (!webhook.recentDeliveries().isEmpty()) {
                    out.printf(Locale.ROOT, "  %-24s %-28s %-10s %-8s %s%n", "CREATED_AT", "EVENT", "STATUS",
                            "ATTEMPTS", "LAST_RESPONSE");
                }
                for (Delivery delivery : webhook.recentDeliveries()) {
                    out.printf(Locale.ROOT, "  %-24s %-28s %-10s %-8s %s%n",
                            (delivery.createdAt() != null) ? delivery.createdAt() : "-", orDash(delivery.eventType()),
                            orDash(delivery.status()), orDash(delivery.attempts()),
                            orDash(delivery.lastResponseStatus()));
                }
            }
            out.flush();
            return ExitCodes.OK;
        }

        private static String orDash(Object value) {
            return (value == null) ? "-" : value.toString();
        }

    }

}
