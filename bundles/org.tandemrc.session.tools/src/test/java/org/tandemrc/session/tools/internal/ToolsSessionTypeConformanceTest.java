package org.tandemrc.session.tools.internal;

import org.tandemrc.api.session.SessionType;
import org.tandemrc.api.testing.SessionTypeConformance;

class ToolsSessionTypeConformanceTest extends SessionTypeConformance {
    @Override
    protected SessionType sessionType() {
        return new ToolsSessionType();
    }
}
