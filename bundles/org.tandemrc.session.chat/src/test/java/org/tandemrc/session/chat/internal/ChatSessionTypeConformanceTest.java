package org.tandemrc.session.chat.internal;

import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.testing.SessionTypeConformance;

class ChatSessionTypeConformanceTest extends SessionTypeConformance {
    @Override
    protected SessionType sessionType() {
        return new ChatSessionType(new ChatSessionTypeTest.FakeUser());
    }
}
