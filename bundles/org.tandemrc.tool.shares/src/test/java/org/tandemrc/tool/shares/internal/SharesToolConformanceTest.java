package org.tandemrc.tool.shares.internal;

import java.util.Hashtable;

import org.tandemrc.api.host.MaintenancePassword;
import org.tandemrc.api.testing.RemoteToolConformance;
import org.tandemrc.api.tool.RemoteTool;

class SharesToolConformanceTest extends RemoteToolConformance {
    @Override
    protected RemoteTool tool() {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("shares", "tmp=" + System.getProperty("java.io.tmpdir"));
        return new SharesTool(new ShareSettings(new FakeConfigurationAdmin(p).admin()), new MaintenancePassword() {
            @Override
            public boolean isSet() {
                return false;
            }

            @Override
            public boolean matches(char[] password, String who) {
                return false;
            }
        }, null);
    }
}
