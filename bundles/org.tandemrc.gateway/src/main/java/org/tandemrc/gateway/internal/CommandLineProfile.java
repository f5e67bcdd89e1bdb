package org.tandemrc.gateway.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.tandemrc.api.comm.CommunicationProfile;
import org.tandemrc.api.comm.ConfiguredProfile;

/**
 * The profile of {@code tandem gateway --listen DEVICE:ADDRESS[:PORT]}, which replaces the enabled
 * profiles the Gateway listens on (its outgoing profiles stay).
 */
record CommandLineProfile(CommunicationProfile profile) implements ConfiguredProfile {

    static final String NAME = "command-line";

    static CommandLineProfile parse(String listen) {
        int colon = listen.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--listen " + listen + ": write DEVICE:ADDRESS[:PORT], e.g. tcp:127.0.0.1:6502");
        }
        String device = listen.substring(0, colon);
        String rest = listen.substring(colon + 1);
        int portAt = rest.lastIndexOf(':');
        Map<String, String> settings = new LinkedHashMap<>();
        if (portAt > 0 && !rest.endsWith("]")) {
            String bind = rest.substring(0, portAt);
            settings.put("bind", bind.startsWith("[") && bind.endsWith("]") ? bind.substring(1, bind.length() - 1) : bind);
            settings.put("port", rest.substring(portAt + 1));
        } else {
            settings.put("bind", rest.startsWith("[") ? rest.substring(1, rest.length() - 1) : rest);
        }
        return new CommandLineProfile(new CommunicationProfile(NAME, device, settings));
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Optional<String> problem() {
        return Optional.empty();
    }
}
