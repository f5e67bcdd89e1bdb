package org.tandemrc.support.comm;

import java.util.List;

import org.tandemrc.api.comm.CommunicationDevice;
import org.tandemrc.api.comm.DeviceSetting;

/**
 * A device's fixed facts, its type and the settings its profiles take, held once so that the devices
 * write only what they do differently.
 */
public abstract class DescribedDevice implements CommunicationDevice {

    private final String type;
    private final List<DeviceSetting> settings;

    protected DescribedDevice(String type, List<DeviceSetting> settings) {
        this.type = type;
        this.settings = List.copyOf(settings);
    }

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final List<DeviceSetting> settings() {
        return settings;
    }
}
