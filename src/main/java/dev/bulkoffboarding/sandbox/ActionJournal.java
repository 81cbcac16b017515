package dev.bulkoffboarding.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.bulkoffboarding.sandbox.DeviceActionStore.StoredAction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The sandbox's memory across processes: one JSON line per action created, so that the sandbox a
 * later command starts (a {@code track} after the demo, say) knows the actions the earlier one
 * created, as the real vendor would. What an action looks like now follows from its creation time
 * (see {@link ActionLifecycle}), so creation is all that is kept. The file holds the request bodies
 * (names, e-mail addresses): it is readable by its owner only, like the database beside it.
 */
final class ActionJournal {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path file;

    private final JsonMapper json;

    ActionJournal(Path file, JsonMapper json) {
        this.file = file;
        this.json = json;
    }

    /** Every action recorded, in creation order; a line cut short by a crash is left out. */
    List<Entry> read() {
        List<Entry> entries = new ArrayList<>();
        if (!Files.exists(this.file)) {
            return entries;
        }
        try {
            for (String line : Files.readAllLines(this.file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = this.json.readTree(line);
                    entries.add(new Entry(node.get("sequence").asLong(), Instant.parse(node.get("created_at").asString()),
                            node.get("id").asString(), node.get("action_id").asString(),
                            node.path("idempotency_key").isString() ? node.get("idempotency_key").asString() : null,
                            node.get("request").asString()));
                }
                catch (RuntimeException unreadable) {
                    // the process died while writing this line: that action was never answered either
                }
            }
            return entries;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the sandbox's actions from " + this.file, ex);
        }
    }

    /** Appends one created action. */
    void append(StoredAction action) {
        ObjectNode line = this.json.createObjectNode();
        line.put("sequence", action.sequence());
        line.put("created_at", action.createdAt().toString());
        line.put("id", action.created().id());
        line.put("action_id", action.created().actionId());
        line.put("idempotency_key", action.created().idempotencyKey());
        line.put("request", action.created().body());
        try {
            if (!Files.exists(this.file)) {
                Path parent = this.file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                if (POSIX) {
                    Files.createFile(this.file,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                }
            }
            Files.writeString(this.file, this.json.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot record the sandbox's action in " + this.file, ex);
        }
    }

    /**
     * One created action.
     *
     * @param sequence its position in creation order
     * @param createdAt its {@code created_at}
     * @param id its UUID
     * @param actionId its human id
     * @param idempotencyKey the key its request carried, or null
     * @param request its request body as received
     */
    record Entry(long sequence, Instant createdAt, String id, String actionId, String idempotencyKey,
            String request) {
    }

}
