package org.tandemrc.log.file.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Settings of the local event log, ConfigAdmin PID {@code org.tandemrc.log.file}. */
@ObjectClassDefinition(name = "Tandem local event log",
        description = "Writes every audit event as one tab-separated UTF-8 line to a local file.")
@interface Config {

    @AttributeDefinition(name = "Log file", description = "Path of the log file. ${tandem.home} stands for the "
            + "node's home folder; a relative path is taken from the home folder (from the working directory "
            + "when the node has none).")
    String file() default FileEventSink.DEFAULT_FILE;

    @AttributeDefinition(name = "Host name pattern", description = "How the Host is named in the log: "
            + "%C computer (node) name, %I Host ID, %L logged-on OS user, %A IP/MAC address, %% a percent sign.")
    String host_name_pattern() default "%C";

    @AttributeDefinition(name = "Guest name pattern", description = "How the Guest is named in the log: "
            + "%C computer name, %I Guest ID, %U authenticated user, %L logged-on OS user, %A IP/MAC address, "
            + "%% a percent sign.")
    String guest_name_pattern() default "%C";

    @AttributeDefinition(name = "Enabled", description = "Whether events are written.")
    boolean enabled() default true;
}
