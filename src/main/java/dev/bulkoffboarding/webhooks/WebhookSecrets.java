package dev.bulkoffboarding.webhooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.bulkoffboarding.job.OffboardingProperties;
import dev.bulkoffboarding.quipteams.WebhookSecret;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.stereotype.Component;

/**
 * The secrets that sign the deliveries we accept: the one the deployment configures
 * ({@code offboarding.webhooks.secret}) and those {@code webhooks register} received, kept in a
 * file only the application's user may read ({@code rw-------}, in the owner-only data directory),
 * one line per vendor webhook. A file rather than a database table: the database is read by more
 * people and tools (backups, the DBA, support dumps), and the API key's rule, never in a database
 * row, holds for signing secrets too. Several secrets are accepted so that a webhook registered
 * anew does not make the older one's deliveries fail until it is switched off.
 * <p>
 * The file is read again whenever it changes, so a {@code serve} that is running accepts a webhook
 * registered from the command line at once. No method logs, prints or throws a secret.
 */
@Component
public class WebhookSecrets {

    private static final Log logger = LogFactory.getLog(WebhookSecrets.class);

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private static final String HEADER = "# Signing secrets of Quipteams webhooks, written by 'bulk-offboarding webhooks "
            + "register'.\n# One line per webhook: its id, a tab, its secret. Keep this file readable by the "
            + "application's user only.\n";

    private final WebhookSecret configured;

    private final Path file;

    // guarded by this: the file's secrets as last read, and what the file looked like then
    private List<WebhookSecret> fromFile = List.of();

    private Object readVersion;

    public WebhookSecrets(WebhookProperties properties, OffboardingProperties offboarding) {
        this.configured = (properties.secret() == null || properties.secret().isBlank()) ? null
                : WebhookSecret.of(properties.secret());
        this.file = ((properties.secretsFile() != null) ? properties.secretsFile()
                : offboarding.dataDir().resolve("webhook-secrets")).toAbsolutePath();
    }

    /** Where {@code webhooks register} keeps the secrets. */
    public Path file() {
        return this.file;
    }

    /** Every secret a delivery may be signed with; empty when none is configured nor registered. */
    public synchronized List<WebhookSecret> all() {
        List<WebhookSecret> secrets = new ArrayList<>();
        if (this.configured != null) {
            secrets.add(this.configured);
        }
        secrets.addAll(currentFileSecrets());
        return List.copyOf(secrets);
    }

    /** The vendor webhooks whose secrets the file holds, by id. */
    public synchronized Set<String> registeredWebhooks() {
        return Set.copyOf(read().keySet());
    }

    /**
     * Keeps the secret of a webhook just registered (replacing an earlier secret of the same
     * webhook), in a file written whole and moved into place, readable by its owner only.
     */
    public synchronized void store(String webhookId, WebhookSecret secret) {
        Map<String, String> lines = read();
        lines.put(webhookId.strip().replaceAll("\\s", "_"), secret.value());
        StringBuilder content = new StringBuilder(HEADER);
        lines.forEach((id, value) -> content.append(id).append('\t').append(value).append('\n'));
        try {
            Path directory = this.file.getParent();
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory);
                if (POSIX) {
                    Files.setPosixFilePermissions(directory, OWNER_DIRECTORY);
                }
            }
            // created owner-only before the first byte is written, then moved over the old file
            Path written = POSIX
                    ? Files.createTempFile(directory, ".webhook-secrets", ".tmp",
                            PosixFilePermissions.asFileAttribute(OWNER_FILE))
                    : Files.createTempFile(directory, ".webhook-secrets", ".tmp");
            try {
                Files.writeString(written, content, StandardCharsets.UTF_8);
                Files.move(written, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            finally {
                Files.deleteIfExists(written);
            }
        }
        catch (IOException ex) {
            // the message names the path, never the content
            throw new UncheckedIOException("Could not write the webhook secrets file " + this.file, ex);
        }
        this.readVersion = null;
    }

    private List<WebhookSecret> currentFileSecrets() {
        Object version = version();
        if (version == null) {
            this.fromFile = List.of();
            this.readVersion = null;
            return this.fromFile;
        }
        if (!version.equals(this.readVersion)) {
            this.fromFile = read().values().stream().map(WebhookSecret::of).toList();
            this.readVersion = version;
        }
        return this.fromFile;
    }

    /** What identifies the file's content cheaply: its modification time and size; null when it does not exist. */
    private Object version() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(this.file, BasicFileAttributes.class);
            return List.of(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey() == null
                    ? FileTime.fromMillis(0) : attributes.fileKey());
        }
        catch (IOException ex) {
            return null;
        }
    }

    /** Webhook id to secret, in file order; empty when there is no file. Lines that are not "id TAB secret" are skipped. */
    private Map<String, String> read() {
        Map<String, String> secrets = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(this.file, StandardCharsets.UTF_8);
        }
        catch (NoSuchFileException ex) {
            return secrets;
        }
        catch (IOException ex) {
            // the path only: the content is secret
            logger.warn("Could not read the webhook secrets file " + this.file + " (" + ex.getClass().getSimpleName()
                    + "): deliveries signed with its secrets are refused until it is readable.");
            return secrets;
        }
        for (String line : lines) {
            int tab = line.indexOf('\t');
            if (line.isBlank() || line.startsWith("#") || tab <= 0 || line.substring(tab + 1).isBlank()) {
                continue;
            }
            secrets.put(line.substring(0, tab).strip(), line.substring(tab + 1).strip());
        }
        return secrets;
    }

}
