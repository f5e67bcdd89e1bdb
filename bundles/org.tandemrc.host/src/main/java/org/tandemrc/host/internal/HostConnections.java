package org.tandemrc.host.internal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tandemrc.api.host.ConnectedGuest;
import org.tandemrc.api.host.ConnectedGuests;

/** The Guests logged on to this Host, for the person at the Host (the desktop's status window). */
@Component(service = ConnectedGuests.class)
public class HostConnections implements ConnectedGuests {

    private final GuestAccess access;

    @Activate
    public HostConnections(@Reference GuestAccess access) {
        this.access = access;
    }

    @Override
    public List<ConnectedGuest> list() {
        return sides().stream().map(HostSide::describe).flatMap(Optional::stream).toList();
    }

    @Override
    public boolean disconnect(String id, String reason) {
        Optional<HostSide> side = sides().stream().filter(s -> s.id().equals(id)).findFirst();
        side.ifPresent(s -> s.disconnectByPerson(reason));
        return side.isPresent();
    }

    @Override
    public int disconnectAll(String reason) {
        List<HostSide> all = sides();
        all.forEach(s -> s.disconnectByPerson(reason));
        return all.size();
    }

    @Override
    public boolean takeBackControl(String id, String reason) {
        return sides().stream().filter(s -> s.id().equals(id)).findFirst().map(s -> s.takeBackControl(reason))
                .orElse(false);
    }

    @Override
    public CompletionStage<Void> chat(String id) {
        return sides().stream().filter(s -> s.id().equals(id)).findFirst().map(HostSide::openChat)
                .orElseGet(() -> CompletableFuture.failedFuture(new IllegalStateException("the Guest is not connected")));
    }

    private List<HostSide> sides() {
        synchronized (access.loggedOn) {
            return List.copyOf(access.loggedOn);
        }
    }
}
