package org.tandemrc.log.file.internal;

import java.nio.file.Path;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.tandemrc.api.event.AuditEvent;
import org.tandemrc.api.event.EventSink;
import org.tandemrc.support.config.TypedConfig;

/**
 * The local event log: every event becomes one UTF-8 line of seven tab-separated columns,
 * <pre>time  code  severity  node  peer  user  detail</pre>
 * with the time in ISO-8601 UTC ({@link java.time.Instant#toString()}). Tabs, line ends and every other
 * control character inside a field are escaped ({@code \t}, {@code \n}, {@code \x1b}: see
 * {@link org.tandemrc.support.text.PeerText}), so a peer cannot add columns or lines.
 *
 * <h2>Configuration</h2>
 * PID {@code org.tandemrc.log.file}, optional: {@code file} (default
 * {@code ${tandem.home}/data/log/events.log}; {@code ${tandem.home}} is the framework property
 * {@code tandem.home}, and without it the file is {@code events.log} in the working directory; a relative
 * path is resolved against the home folder), {@code host.name.pattern} and {@code guest.name.pattern} (default
 * {@code %C}; the camel-case {@code hostNamePattern} of earlier versions is still read, with a warning),
 * {@code enabled} (default {@code true}). Changes apply at once; events not written yet go to
 * the new file.
 *
 * <h2>Name patterns</h2>
 * The node column names the recording node, the peer column the other side. On a Host (framework property
 * {@code tandem.role} not {@code guest}) the node column is {@code host.name.pattern} and the peer column
 * {@code guest.name.pattern}; on a Guest it is the other way round. Placeholders:
 * <table>
 * <caption>What each placeholder expands to</caption>
 * <tr><th></th><th>node column</th><th>peer column</th></tr>
 * <tr><td>{@code %C} computer name</td><td>{@code event.node()}</td><td>{@code event.peer()} as given</td></tr>
 * <tr><td>{@code %I} Host/Guest ID</td><td>{@code event.node()}</td><td>{@code event.peer()} as given</td></tr>
 * <tr><td>{@code %L} logged-on OS user</td><td>the system property {@code user.name}</td><td>empty
 * (not known)</td></tr>
 * <tr><td>{@code %A} IP/MAC address</td><td>empty (not in the event)</td><td>the address in
 * {@code event.peer()} without port or brackets ({@code 192.0.2.7:6502} gives {@code 192.0.2.7}); empty when
 * the peer is a name</td></tr>
 * <tr><td>{@code %U} authenticated user</td><td colspan="2">{@code event.user()}, only in the Guest name
 * pattern; in the Host name pattern it stays as typed</td></tr>
 * <tr><td>{@code %%}</td><td colspan="2">{@code %}</td></tr>
 * </table>
 * Any other {@code %} sequence is written as typed. The patterns apply to every event. Example on a Host,
 * as in the reference: {@code %C+%L} and {@code %U@%A} give {@code Host1+User1} and {@code User2@192.168.1.2}.
 *
 * <h2>Failures</h2>
 * {@link #record} writes synchronously and flushes each line. If the file was deleted or replaced it is
 * created again; if it cannot be written, one warning is logged and up to 10,000 events are kept in memory
 * and written, in order, with the next event that succeeds.
 */
@Component(service = EventSink.class, configurationPid = FileEventSink.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = Config.class)
public class FileEventSink implements EventSink {

    static final String PID = "org.tandemrc.log.file";
    static final String HOME = "${tandem.home}";
    static final String DEFAULT_FILE = HOME + "/data/log/events.log";

    private String home;
    private LineFormat.Role role;
    private EventLog log;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        Config config = TypedConfig.of(Config.class, PID, properties);
        home = context.getProperty("tandem.home");
        role = LineFormat.Role.of(context.getProperty("tandem.role"));
        log = new EventLog(resolve(config.file(), home), format(config), config.enabled(),
                EventLog.DEFAULT_CAPACITY);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        Config config = TypedConfig.of(Config.class, PID, properties);
        log.configure(resolve(config.file(), home), format(config), config.enabled());
    }

    @Deactivate
    void deactivate() {
        log.close();
    }

    @Override
    public void record(AuditEvent event) {
        log.record(event);
    }

    private LineFormat format(Config config) {
        return new LineFormat(role, config.host_name_pattern(), config.guest_name_pattern(),
                System.getProperty("user.name", ""));
    }

    /**
     * The log file for a configured path: {@code ${tandem.home}} replaced by the home folder, a relative
     * path taken from it. Without a home, the default is {@code events.log} in the working directory and
     * {@code ${tandem.home}} stands for the working directory.
     */
    static Path resolve(String configured, String home) {
        boolean homeless = home == null || home.isBlank();
        String path = configured == null || configured.isBlank() ? DEFAULT_FILE : configured.strip();
        if (homeless) {
            if (path.equals(DEFAULT_FILE)) {
                return Path.of("events.log");
            }
            return Path.of(path.replace(HOME + "/", "").replace(HOME, "."));
        }
        Path base = Path.of(home);
        return base.resolve(path.replace(HOME, home)).normalize();
    }
}
