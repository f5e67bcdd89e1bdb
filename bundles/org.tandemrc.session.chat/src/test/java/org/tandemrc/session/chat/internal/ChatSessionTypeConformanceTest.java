package org.tandemrc.session.chat.internal;

import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.testing.SessionTypeConformance;

class ChatSessionTypeConformanceTest extends SessionTypeConformance {
    @Override
    protected SessionType sessionType() {
        return ChatSessionTypeTest.seated(new ChatSessionTypeTest.FakeUser());
    }
}
