package dev.bulkoffboarding.sandbox;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import dev.bulkoffboarding.sandbox.SandboxServer.CreatedAction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The device actions the sandbox has created, in creation order, with the vendor's list and
 * lookup semantics.
 *
 * <p>Creation takes a short write lock so that sequence numbers, {@code created_at} and list
 * order always agree; that is what lets a cursor be a plain sequence number. Nothing slow (the
 * simulated latency in particular) ever happens under the lock.
 */
final class DeviceActionStore {

    static final String STATUS_IN_PROGRESS = "In Progress";

    static final String COMPANY = "Sandbox Corp";

    /** The fields of a list item (§9), a subset of the full object. */
    private static final List<String> LIST_ITEM_FIELDS = List.of("id", "action_id", "action_type", "status",
            "company", "device", "current_user", "new_recipient", "wipe", "wipe_completed", "tracking_code",
            "tracking_link", "created_at", "updated_at");

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Clock clock;

    private final JsonMapper json;

    private final Inventory inventory;

    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    /** Sorted by sequence (and so by creation time); guarded by {@link #lock}. */
    private final List<StoredAction> actions = new ArrayList<>();

    /** By lower-cased UUID and lower-cased action id. */
    private final Map<String, StoredAction> byId = new ConcurrentHashMap<>();

    /** Guarded by {@link #lock}; never reset, so action ids stay unique across {@link #clear()}. */
    private long lastSequence;

    /** Guarded by {@link #lock}; keeps {@code created_at} from going backwards if the clock does. */
    private Instant lastCreatedAt = Instant.EPOCH;

    /** Guarded by {@link #lock}: the actions before this index are at the end of their lifecycle. */
    private int settled;

    /** Guarded by {@link #lock}: where created actions are remembered across processes, or null. */
    private ActionJournal journal;

    DeviceActionStore(Clock clock, JsonMapper json, Inventory inventory) {
        this.clock = clock;
        this.json = json;
        this.inventory = inventory;
    }

    /**
     * Creates an action from a body that passed validation.
     * @param request the parsed body
     * @param rawBody the body as received, kept for introspection
     * @param idempotencyKey the {@code Idempotency-Key} header, recorded but not honoured
     * @param createdAt when it was created elsewhere (seeded), or null for now
     * @throws IllegalStateException if {@code createdAt} is before the latest action's
     */
    StoredAction create(JsonNode request, String rawBody, String idempotencyKey, Instant createdAt) {
        return create(request, rawBody, idempotencyKey, createdAt,
                inventory.device(request.get("serial_number").stringValue()));
    }

    /** As {@link #create(JsonNode, String, String, Instant)}, for a device described by the request (external). */
    StoredAction create(JsonNode request, String rawBody, String idempotencyKey, Instant createdAt, ObjectNode device) {
        String serialNumber = request.get("serial_number").stringValue();
        String actionType = request.get("action_type").stringValue();
        String id = UUID.randomUUID().toString();
        lock.writeLock().lock();
        try {
            Instant when;
            if (createdAt != null) {
                when = createdAt.truncatedTo(ChronoUnit.MILLIS);
                if (when.isBefore(lastCreatedAt)) {
                    throw new IllegalStateException("An action created at " + when
                            + " would come before one already created at " + lastCreatedAt);
                }
            }
            else {
                Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                when = now.isBefore(lastCreatedAt) ? lastCreatedAt : now;
            }
            long sequence = ++lastSequence;
            lastCreatedAt = when;
            String actionId = String.format(Locale.ROOT, "DA-%d-%05d", when.atZone(ZoneOffset.UTC).getYear(),
                    sequence);
            ObjectNode full = fullObject(request, id, actionId, device, when);
            CreatedAction created = new CreatedAction(id, actionId, serialNumber, actionType, idempotencyKey, rawBody,
                    when);
            StoredAction action = new StoredAction(sequence, when, full, created);
            actions.add(action);
            byId.put(id.toLowerCase(Locale.ROOT), action);
            byId.put(actionId.toLowerCase(Locale.ROOT), action);
            if (journal != null) {
                // under the lock, so that the file keeps creation order
                journal.append(action);
            }
            return action;
        }
        finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Takes back the actions an earlier sandbox recorded in {@code journal}, then records every new
     * one there. Only before anything is created.
     * @return how many actions were taken back
     */
    int remember(ActionJournal journal) {
        List<ActionJournal.Entry> entries = journal.read();
        lock.writeLock().lock();
        try {
            if (!actions.isEmpty()) {
                throw new IllegalStateException("The sandbox has created actions already");
            }
            for (ActionJournal.Entry entry : entries) {
                JsonNode request = json.readTree(entry.request());
                String serialNumber = request.get("serial_number").stringValue();
                ObjectNode full = fullObject(request, entry.id(), entry.actionId(), inventory.device(serialNumber),
                        entry.createdAt());
                CreatedAction created = new CreatedAction(entry.id(), entry.actionId(), serialNumber,
                        request.get("action_type").stringValue(), entry.idempotencyKey(), entry.request(),
                        entry.createdAt());
                StoredAction action = new StoredAction(entry.sequence(), entry.createdAt(), full, created);
                actions.add(action);
                byId.put(entry.id().toLowerCase(Locale.ROOT), action);
                byId.put(entry.actionId().toLowerCase(Locale.ROOT), action);
                lastSequence = Math.max(lastSequence, entry.sequence());
                if (entry.createdAt().isAfter(lastCreatedAt)) {
                    lastCreatedAt = entry.createdAt();
                }
            }
            this.journal = journal;
            return entries.size();
        }
        finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Moves an action to another status (as the vendor's staff would), recording when.
     * @return whether the action exists
     */
    boolean setStatus(String idOrActionId, String status) {
        lock.writeLock().lock();
        try {
            StoredAction action = find(idOrActionId);
            if (action == null) {
                return false;
            }
            String now = timestamp(clock.instant());
            action.json().put("status", status);
            action.json().put("updated_at", now);
            ((ObjectNode) action.json().get("status_timestamps")).put(status, now);
            return true;
        }
        finally {
            lock.writeLock().unlock();
        }
    }

    /** Looks an action up by its UUID or its action id, ignoring case. */
    StoredAction find(String idOrActionId) {
        return byId.get(idOrActionId.toLowerCase(Locale.ROOT));
    }

    Page list(Query query) {
        List<StoredAction> page = new ArrayList<>(Math.min(query.limit(), 100));
        boolean hasMore = false;
        lock.readLock().lock();
        try {
            int size = actions.size();
            int start = startIndex(query);
            int step = query.ascending() ? 1 : -1;
            for (int i = start; i >= 0 && i < size; i += step) {
                StoredAction action = actions.get(i);
                if (!query.matches(action)) {
                    continue;
                }
                if (page.size() == query.limit()) {
                    hasMore = true;
                    break;
                }
                page.add(action);
            }
        }
        finally {
            lock.readLock().unlock();
        }
        return new Page(page, hasMore);
    }

    /**
     * Moves every action whose next lifecycle step is due, oldest first, replacing its object with
     * a new one (objects are never modified: a response being written may share their nodes).
     * @return the objects that changed, in creation order, for whoever wants to hear of them
     */
    List<ObjectNode> advance(ActionLifecycle lifecycle, Instant now) {
        List<ObjectNode> changed = new ArrayList<>();
        lock.writeLock().lock();
        try {
            boolean allSettledSoFar = true;
            for (int i = settled; i < actions.size(); i++) {
                StoredAction action = actions.get(i);
                if (!lifecycle.anyStepDue(action.createdAt(), now)) {
                    // actions are in creation order: none after this one is due either
                    break;
                }
                ObjectNode next = lifecycle.next(action.json(), action.createdAt(), now);
                if (next != null) {
                    action = new StoredAction(action.sequence(), action.createdAt(), next, action.created());
                    actions.set(i, action);
                    byId.put(action.created().id().toLowerCase(Locale.ROOT), action);
                    byId.put(action.created().actionId().toLowerCase(Locale.ROOT), action);
                    changed.add(next);
                }
                allSettledSoFar = allSettledSoFar && lifecycle.isLast(action.json());
                if (allSettledSoFar) {
                    settled = i + 1;
                }
            }
        }
        finally {
            lock.writeLock().unlock();
        }
        return changed;
    }

    List<CreatedAction> createdActions() {
        lock.readLock().lock();
        try {
            List<CreatedAction> created = new ArrayList<>(actions.size());
            for (StoredAction action : actions) {
                created.add(action.created());
            }
            return Collections.unmodifiableList(created);
        }
        finally {
            lock.readLock().unlock();
        }
    }

    long count(String serialNumber, String actionType) {
        lock.readLock().lock();
        try {
            return actions.stream()
                .map(StoredAction::created)
                .filter(created -> created.serialNumber().equals(serialNumber))
                .filter(created -> created.actionType().equalsIgnoreCase(actionType))
                .count();
        }
        finally {
            lock.readLock().unlock();
        }
    }

    void clear() {
        lock.writeLock().lock();
        try {
            actions.clear();
            byId.clear();
            // nothing is left to keep in order
            lastCreatedAt = Instant.EPOCH;
            settled = 0;
        }
        finally {
            lock.writeLock().unlock();
        }
    }

    /** The list item of §9 for an action: the full object without the detail-only fields. */
    ObjectNode listItem(StoredAction action) {
        ObjectNode item = json.createObjectNode();
        for (String field : LIST_ITEM_FIELDS) {
            // Sharing child nodes is safe: stored trees are never modified (the lifecycle replaces them).
            item.set(field, action.json().get(field));
        }
        return item;
    }

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    /** Index of the first candidate: right after the cursor's action in the direction of the sort. */
    private int startIndex(Query query) {
        if (query.cursor() == null) {
            return query.ascending() ? 0 : actions.size() - 1;
        }
        long cursor = query.cursor();
        // The cursor's own action may have been cleared since; positions still follow from sequences.
        return query.ascending() ? firstIndexAfter(cursor) : firstIndexAfter(cursor - 1) - 1;
    }

    /** Binary search for the first action whose sequence is greater than {@code sequence}. */
    private int firstIndexAfter(long sequence) {
        int low = 0;
        int high = actions.size();
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (actions.get(middle).sequence() <= sequence) {
                low = middle + 1;
            }
            else {
                high = middle;
            }
        }
        return low;
    }

    private ObjectNode fullObject(JsonNode request, String id, String actionId, ObjectNode device, Instant createdAt) {
        JsonNode currentUser = request.get("current_user");
        JsonNode recipient = request.get("new_recipient");
        JsonNode wipe = request.get("wipe");
        JsonNode notes = request.get("notes");
        JsonNode emails = request.get("notification_emails");
        String userEmail = currentUser.get("email").stringValue();
        String timestamp = timestamp(createdAt);

        ObjectNode data = json.createObjectNode();
        data.put("id", id);
        data.put("action_id", actionId);
        data.put("action_type", request.get("action_type").stringValue());
        data.put("status", STATUS_IN_PROGRESS);
        data.put("company", COMPANY);
        data.set("device", device);
        data.set("current_user", person(currentUser));
        if (isPresent(recipient)) {
            data.set("new_recipient", person(recipient));
        }
        else {
            data.putNull("new_recipient");
        }
        data.put("wipe", isPresent(wipe) && wipe.booleanValue());
        data.put("wipe_completed", false);
        data.putNull("tracking_code");
        data.putNull("tracking_link");
        if (isPresent(notes)) {
            data.put("notes", notes.stringValue());
        }
        else {
            data.putNull("notes");
        }
        data.putObject("status_timestamps");
        ArrayNode notificationEmails = data.putArray("notification_emails");
        if (isPresent(emails)) {
            emails.forEach(email -> notificationEmails.add(email.stringValue()));
        }
        data.putNull("batch_id");
        // As in the vendor's create example: requested_by is "API" with the current user's e-mail.
        ObjectNode requestedBy = data.putObject("requested_by");
        requestedBy.put("name", "API");
        requestedBy.put("email", userEmail);
        data.put("user_email", userEmail);
        data.putArray("comments");
        data.put("created_at", timestamp);
        data.put("updated_at", timestamp);
        return data;
    }

    /** Echoes a person with all five documented sub-fields, {@code null} for those not sent. */
    private ObjectNode person(JsonNode source) {
        ObjectNode person = json.createObjectNode();
        for (String field : DeviceActionRequestValidator.PERSON_FIELDS) {
            JsonNode value = source.get(field);
            if (isPresent(value)) {
                person.put(field, value.stringValue());
            }
            else {
                person.putNull(field);
            }
        }
        return person;
    }

    private static boolean isPresent(JsonNode value) {
        return value != null && !value.isNull() && !value.isMissingNode();
    }

    /**
     * One created action.
     *
     * @param sequence position in creation order, starting at 1 and never reused
     * @param createdAt creation time, millisecond precision
     * @param json the full device-action object (§6): the lifecycle replaces it; only {@link DeviceActionStore#setStatus} (a test hook) modifies it, under the write lock
     * @param created what the introspection API reports about it
     */
    record StoredAction(long sequence, Instant createdAt, ObjectNode json, CreatedAction created) {

        String status() {
            return json.get("status").stringValue();
        }

    }

    /**
     * The filters and position of one list request.
     *
     * @param serialContains lower-cased substring of the serial, or null
     * @param actionType action type compared ignoring case, or null
     * @param status status compared ignoring case, or null
     * @param createdAfter exclusive lower bound, or null
     * @param createdBefore exclusive upper bound, or null
     * @param ascending oldest first when true, newest first otherwise
     * @param limit page size
     * @param cursor sequence of the last action of the previous page, or null for the first page
     * @param visibleUntil actions created after this are not listed yet (a lagging list), or null
     */
    record Query(String serialContains, String actionType, String status, Instant createdAfter,
            Instant createdBefore, boolean ascending, int limit, Long cursor, Instant visibleUntil) {

        boolean matches(StoredAction action) {
            CreatedAction created = action.created();
            return (serialContains == null
                    || created.serialNumber().toLowerCase(Locale.ROOT).contains(serialContains))
                    && (actionType == null || created.actionType().equalsIgnoreCase(actionType))
                    && (status == null || action.status().equalsIgnoreCase(status))
                    && (createdAfter == null || action.createdAt().isAfter(createdAfter))
                    && (createdBefore == null || action.createdAt().isBefore(createdBefore))
                    && (visibleUntil == null || !action.createdAt().isAfter(visibleUntil));
        }

    }

    /**
     * One page of a list.
     *
     * @param items the matching actions, in the requested order
     * @param hasMore whether more matching actions follow
     */
    record Page(List<StoredAction> items, boolean hasMore) {
    }

}
