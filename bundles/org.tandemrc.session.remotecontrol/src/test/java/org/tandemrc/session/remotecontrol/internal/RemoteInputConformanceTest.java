package org.tandemrc.session.remotecontrol.internal;

import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.testing.SessionTypeConformance;

class RemoteInputConformanceTest extends SessionTypeConformance {
    @Override
    protected SessionType sessionType() {
        return new RemoteInput();
    }
}
