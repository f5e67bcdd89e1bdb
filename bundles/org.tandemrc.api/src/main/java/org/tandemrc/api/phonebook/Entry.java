package org.tandemrc.api.phonebook;

import java.util.Objects;

/**
 * One phonebook record, with the fields of the reference's CSV syntax in its order. Passwords are
 * plain here, in memory; the phonebook keeps them encrypted. Absent text is the empty string.
 *
 * @param folder               the folder path, names joined by {@code /} (empty: the root)
 * @param description          the record's name in its folder (also its file name)
 * @param phoneNumber          a modem number; kept for the format, unused by Tandem's devices
 * @param name                 the Host's address or name, e.g. {@code tcp:10.0.0.5:6502} or {@code H::name}
 * @param comment              free text
 * @param profile              the communication profile to connect with (empty: the device's default)
 * @param hostLogon            the Host logon name (empty: the shared password)
 * @param hostPassword         the Host logon password
 * @param hostDomain           the Host logon domain
 * @param gatewayLogon         the Gateway logon name
 * @param gatewayPassword      the Gateway logon password
 * @param gatewayDomain        the Gateway logon domain
 * @param protectPassword      the password that protects the record itself (empty: none)
 * @param wakeOnLanMac         the MAC address for Wake on LAN
 * @param credentialFlags      logon credential flags, kept as given
 * @param customAppDescription a custom application's description
 * @param customAppCommand     a custom application's command line
 */
public record Entry(String folder, String description, String phoneNumber, String name, String comment,
        String profile, String hostLogon, String hostPassword, String hostDomain, String gatewayLogon,
        String gatewayPassword, String gatewayDomain, String protectPassword, String wakeOnLanMac,
        String credentialFlags, String customAppDescription, String customAppCommand) {

    /** The number of fields, as in a CSV line. */
    public static final int FIELDS = 17;

    public Entry {
        folder = orEmpty(folder);
        description = orEmpty(description);
        phoneNumber = orEmpty(phoneNumber);
        name = orEmpty(name);
        comment = orEmpty(comment);
        profile = orEmpty(profile);
        hostLogon = orEmpty(hostLogon);
        hostPassword = orEmpty(hostPassword);
        hostDomain = orEmpty(hostDomain);
        gatewayLogon = orEmpty(gatewayLogon);
        gatewayPassword = orEmpty(gatewayPassword);
        gatewayDomain = orEmpty(gatewayDomain);
        protectPassword = orEmpty(protectPassword);
        wakeOnLanMac = orEmpty(wakeOnLanMac);
        credentialFlags = orEmpty(credentialFlags);
        customAppDescription = orEmpty(customAppDescription);
        customAppCommand = orEmpty(customAppCommand);
    }

    /** A record with only what a quick connection needs. */
    public static Entry of(String folder, String description, String name, String comment, String profile,
            String hostLogon, String hostPassword) {
        return new Entry(folder, description, "", name, comment, profile, hostLogon, hostPassword, "", "", "", "", "",
                "", "", "", "");
    }

    /** The fields in CSV order. */
    public String[] fields() {
        return new String[] {folder, description, phoneNumber, name, comment, profile, hostLogon, hostPassword,
            hostDomain, gatewayLogon, gatewayPassword, gatewayDomain, protectPassword, wakeOnLanMac, credentialFlags,
            customAppDescription, customAppCommand};
    }

    /** A record from fields in CSV order; missing trailing fields are empty. */
    public static Entry fromFields(String... f) {
        if (f.length > FIELDS) {
            throw new IllegalArgumentException("a record has " + FIELDS + " fields, not " + f.length);
        }
        String[] v = new String[FIELDS];
        for (int i = 0; i < FIELDS; i++) {
            v[i] = i < f.length ? f[i] : "";
        }
        return new Entry(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14],
                v[15], v[16]);
    }

    /** This record in another folder. */
    public Entry inFolder(String newFolder) {
        String[] f = fields();
        f[0] = newFolder;
        return fromFields(f);
    }

    /** Where the record is: folder and description. */
    public String path() {
        return folder.isEmpty() ? description : folder + "/" + description;
    }

    /** Passwords hidden, for logs and lists. */
    @Override
    public String toString() {
        return "Entry[" + path() + " -> " + name + "]";
    }

    private static String orEmpty(String s) {
        return Objects.requireNonNullElse(s, "");
    }
}
