package org.tandemrc.host.internal;

import java.io.IOException;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tandemrc.api.event.EventCodes;
import org.tandemrc.api.event.Severity;
import org.tandemrc.api.host.MaintenancePassword;

/**
 * The maintenance password of {@code etc/guest-passwords} for tools that change the Host's settings: the same
 * verifier and the same audit of a wrong password as {@code tandem admin access} uses.
 */
@Component(service = MaintenancePassword.class)
public class MaintenanceCheck implements MaintenancePassword {

    @Reference
    private GuestAccess access;

    @Override
    public boolean isSet() throws IOException {
        return access.store.find(PasswordStore.MAINTENANCE).isPresent();
    }

    @Override
    public boolean matches(char[] password, String who) throws IOException {
        Optional<PasswordStore.Entry> entry = access.store.find(PasswordStore.MAINTENANCE);
        return entry.isPresent() && matches(access, entry.get(), password, who);
    }

    /** Whether {@code password} matches the maintenance entry; a wrong one is audited with {@code who}. */
    static boolean matches(GuestAccess access, PasswordStore.Entry entry, char[] password, String who) {
        if (PasswordStore.matches(entry, password)) {
            return true;
        }
        access.audit.record(EventCodes.PASSWORD_REJECTED, Severity.SECURITY, who, "", "wrong maintenance password");
        return false;
    }
}
