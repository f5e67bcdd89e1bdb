package org.tandemrc.toolkit.session;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.security.Privilege;
import org.tandemrc.api.session.SessionContext;
import org.tandemrc.api.session.SessionHandler;
import org.tandemrc.api.user.Conversation;
import org.tandemrc.api.user.LocalUser;

class LocalUserSessionTypeTest {

    static final class Shown extends LocalUserSessionType {
        LocalUser person() {
            return localUser();
        }

        @Override
        public String id() {
            return "shown";
        }

        @Override
        public String title() {
            return "Shown";
        }

        @Override
        public Set<Privilege> requiredPrivileges() {
            return Set.of(Privilege.SEND_MESSAGE);
        }

        @Override
        public SessionHandler open(SessionContext context) {
            throw new UnsupportedOperationException();
        }
    }

    static final class Person implements LocalUser {
        @Override
        public void showMessage(String from, String text) {
        }

        @Override
        public Conversation converse(String peer, Consumer<String> typed, Runnable endedByPerson) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void nobodyIsThereUntilAPersonIsBound() {
        Shown type = new Shown();
        assertNull(type.person());
        Person person = new Person();
        type.bindLocalUser(person);
        assertSame(person, type.person());
    }

    @Test
    void aBetterPersonReplacesTheSeatedOneAndItsLateUnbindKeepsIt() {
        Person first = new Person();
        Person better = new Person();
        Shown type = new Shown();
        type.bindLocalUser(first);
        assertSame(first, type.person());
        // A greedy reference binds the higher-ranked service first, then unbinds the old one.
        type.bindLocalUser(better);
        type.unbindLocalUser(first);
        assertSame(better, type.person());
        type.unbindLocalUser(better);
        assertNull(type.person());
    }
}
