package org.tandemrc.session.remotecontrol.internal;

import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.testing.SessionTypeConformance;

class RemoteControlConformanceTest extends SessionTypeConformance {
    @Override
    protected SessionType sessionType() {
        return new RemoteControl();
    }
}
