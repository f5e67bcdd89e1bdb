package org.tandemrc.tool.users.internal;

import org.tandemrc.api.testing.RemoteToolConformance;
import org.tandemrc.api.tool.RemoteTool;

class UsersToolConformanceTest extends RemoteToolConformance {
    @Override
    protected RemoteTool tool() {
        return new UsersTool();
    }
}
