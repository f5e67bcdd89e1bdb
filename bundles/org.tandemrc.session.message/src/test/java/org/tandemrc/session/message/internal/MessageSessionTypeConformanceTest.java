package org.tandemrc.session.message.internal;

import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.testing.SessionTypeConformance;

class MessageSessionTypeConformanceTest extends SessionTypeConformance {
    @Override
    protected SessionType sessionType() {
        return MessageSessionTypeTest.seated(new MessageSessionTypeTest.FakeUser());
    }
}
