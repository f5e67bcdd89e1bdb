package org.tandemrc.support.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.tandemrc.api.files.FileSession;
import org.tandemrc.api.files.RemoteFiles;
import org.tandemrc.api.guest.ConnectRequest;
import org.tandemrc.api.guest.Guest;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.guest.HostConnection;
import org.tandemrc.api.message.RemoteMessages;
import org.tandemrc.api.phonebook.Entry;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.client.RemoteTools;
import org.tandemrc.api.tool.client.ToolSession;
import org.tandemrc.support.text.Sizes;
import org.tandemrc.toolkit.net.WakeOnLan;

/**
 * A batch's action on one phonebook record: log on with the record's own logon and password (or the spare
 * ones for records without a password), do the action, disconnect. Wake-on-LAN needs no connection to the
 * record: the Guest broadcasts on the record's subnet, or asks the Host of another record ({@code via}) to.
 */
public final class BatchWork implements Batch.Work {

    private static final Duration MESSAGE_CONFIRMATION = Duration.ofSeconds(60);

    /** The Guest and its session types (null where one is not installed: the Hosts that need it fail). */
    public record Services(Guest guest, @Nullable RemoteMessages messages, @Nullable RemoteTools tools,
            @Nullable RemoteFiles files) {
    }

    /** Logon for records without a password: {@code password} null gives such a record {@code noPassword}. */
    public record Spare(@Nullable String guestId, char @Nullable [] password, String noPassword) {
    }

    private final Services services;
    private final Batch.Action action;
    private final @Nullable Entry via;
    private final boolean acceptNewKey;
    private final Spare spare;

    /** @param via the record of the Host to wake through, with {@link Batch.Wake} naming one */
    public BatchWork(Services services, Batch.Action action, @Nullable Entry via, boolean acceptNewKey, Spare spare) {
        this.services = services;
        this.action = action;
        this.via = via;
        this.acceptNewKey = acceptNewKey;
        this.spare = spare;
    }

    @Override
    public String run(Entry host, Batch.Attempt attempt) throws Exception {
        if (action instanceof Batch.Wake) {
            byte[] mac;
            try {
                mac = WakeOnLan.mac(host.wakeOnLanMac());
            } catch (IllegalArgumentException e) {
                throw new Exception(host.wakeOnLanMac().isEmpty() ? "the record has no Wake-on-LAN MAC address"
                        : "the record's Wake-on-LAN MAC: " + e.getMessage());
            }
            Entry through = via;
            if (through == null) {
                return WakeOnLan.send(mac, WakeOnLan.broadcastFor(hostPart(host.name())), WakeOnLan.PORT);
            }
            return onHost(through, attempt, c -> {
                try (ToolSession s = installed(services.tools(), "remote-management").open(c)) {
                    return "through " + through.path() + ": "
                            + summary(s.invoke("wake", "send", Map.of("mac", WakeOnLan.format(mac))));
                }
            });
        }
        return onHost(host, attempt, c -> {
            if (action instanceof Batch.Message m) {
                installed(services.messages(), "message").send(c, m.text(), MESSAGE_CONFIRMATION);
                return "delivered; the Host showed it to the person there";
            }
            if (action instanceof Batch.Tool t) {
                try (ToolSession s = installed(services.tools(), "remote-management").open(c)) {
                    return summary(s.invoke(t.tool(), t.operation(), t.arguments()));
                }
            }
            Batch.Send send = (Batch.Send) action;
            try (FileSession s = installed(services.files(), "file-transfer").open(c)) {
                return "the person at the Host saved " + send.file().getFileName() + " ("
                        + Sizes.binary(s.offer(send.file())) + ")";
            }
        });
    }

    /** What is done over one connection. */
    @FunctionalInterface
    private interface OnConnection {
        String run(HostConnection c) throws Exception;
    }

    private String onHost(Entry record, Batch.Attempt attempt, OnConnection work) throws Exception {
        if (record.name().isBlank()) {
            throw new Exception("the record " + record.path() + " has no address");
        }
        boolean own = !record.hostPassword().isEmpty();
        char[] given = spare.password();
        if (!own && given == null) {
            throw new Exception(spare.noPassword());
        }
        char[] password = own || given == null ? record.hostPassword().toCharArray() : given.clone();
        String guestId = own ? (record.hostLogon().isEmpty() ? null : record.hostLogon()) : spare.guestId();
        HostConnection c;
        try {
            c = attempt.track(services.guest().connect(new ConnectRequest(record.name(), guestId, password, acceptNewKey,
                    record.profile())));
        } finally {
            Arrays.fill(password, '\0');
        }
        try {
            return work.run(c);
        } finally {
            c.close("the Guest disconnected");
        }
    }

    private static <T> T installed(@Nullable T service, String sessionType) throws GuestException {
        if (service == null) {
            throw new GuestException(GuestException.Reason.NOT_INSTALLED, "the " + sessionType
                    + " session type is not installed on this Guest");
        }
        return service;
    }

    /** The host of a phonebook address ({@code [DEVICE:]HOST[:PORT]}) as written; a name stays a name. */
    public static String hostPart(String address) {
        String a = address.strip();
        int colon = a.indexOf(':');
        if (colon > 0 && a.substring(0, colon).chars().allMatch(ch -> Character.isLetter(ch) || ch == '-')) {
            a = a.substring(colon + 1);
        }
        int port = a.lastIndexOf(':');
        return port > 0 && a.indexOf(':') == port ? a.substring(0, port) : a;
    }

    /** A tool's result in one line: a message's text, a form's {@code label: value} pairs, a table's first row. */
    public static String summary(Result result) {
        if (result instanceof Result.Message m) {
            return m.text();
        }
        if (result instanceof Result.Form f) {
            List<String> pairs = new ArrayList<>();
            for (Field field : f.fields()) {
                String v = f.values().get(field.name());
                if (v != null) {
                    pairs.add(field.label() + ": " + (field.type() == FieldType.SECRET ? "********"
                            : field.type() == FieldType.BYTES && v.matches("\\d{1,18}") ? Sizes.binary(Long.parseLong(v))
                            : v));
                }
            }
            return String.join("; ", pairs);
        }
        Result.Table t = (Result.Table) result;
        return t.rows().size() + " row(s)" + (t.rows().isEmpty() ? "" : "; first: " + String.join(" | ", t.rows().get(0)));
    }
}
