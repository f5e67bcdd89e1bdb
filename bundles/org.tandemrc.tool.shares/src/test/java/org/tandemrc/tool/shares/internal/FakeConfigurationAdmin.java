package org.tandemrc.tool.shares.internal;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** ConfigAdmin holding the one configuration the tool uses, as FileInstall would have made it from a file. */
final class FakeConfigurationAdmin {

    Hashtable<String, Object> properties;
    int updates;

    FakeConfigurationAdmin(Hashtable<String, Object> properties) {
        this.properties = properties;
    }

    private Configuration configuration() {
        return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Configuration.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getProperties" -> properties == null ? null : new Hashtable<>(properties);
                    case "update" -> {
                        @SuppressWarnings("unchecked")
                        Dictionary<String, Object> d = (Dictionary<String, Object>) args[0];
                        properties = new Hashtable<>();
                        for (var keys = d.keys(); keys.hasMoreElements();) {
                            String k = keys.nextElement();
                            properties.put(k, d.get(k));
                        }
                        updates++;
                        yield null;
                    }
                    case "getPid" -> ShareSettings.PID;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    ConfigurationAdmin admin() {
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "listConfigurations" -> properties == null ? null : new Configuration[] {configuration()};
                    case "getConfiguration" -> configuration();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
