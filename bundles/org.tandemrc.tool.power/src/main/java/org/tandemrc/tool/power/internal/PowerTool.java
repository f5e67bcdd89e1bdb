package org.tandemrc.tool.power.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.tandemrc.api.countdown.Countdown;
import org.tandemrc.api.countdown.CountdownNotice;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.TandemToolId;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.toolkit.process.Commands;
import org.tandemrc.toolkit.tool.OperationTool;

/**
 * System Control: restart, shut down, log off the desktop user, lock the screen — each after a countdown
 * the person at the Host sees with the Guest's message (where a desktop shows {@link CountdownNotice}s),
 * and may postpone where the Guest allowed it, a bounded number of times. One action is coming at a time;
 * the Guest may call it off. The commands are the operator's ({@link Config}); the Guest's words never
 * reach them.
 */
@Component(service = RemoteTool.class, configurationPid = PowerTool.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PowerTool.Config.class)
@TandemToolId(PowerTool.ID)
public class PowerTool extends OperationTool {

    static final String ID = "power";
    static final String PID = "org.tandemrc.tool.power";
    static final int MAX_MESSAGE = 1000;
    static final int MAX_COUNTDOWN = 3600;
    static final int DEFAULT_COUNTDOWN = 60;
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** Who the window names: a request operation does not learn which Guest sent it. */
    static final String GUEST = "A Guest";

    @ObjectClassDefinition(name = "Tandem System Control")
    public @interface Config {
        @AttributeDefinition(description = "The restart command: an absolute path and its arguments, split at spaces")
        String restart_command() default "/usr/sbin/shutdown -r now";

        @AttributeDefinition(description = "The shut down command")
        String shutdown_command() default "/usr/sbin/shutdown -h now";

        @AttributeDefinition(description = "The log off command; {user} is the user this node runs as")
        String logoff_command() default "/usr/bin/loginctl terminate-user {user}";

        @AttributeDefinition(description = "The lock command")
        String lock_command() default "/usr/bin/loginctl lock-sessions";

        @AttributeDefinition(description = "How long Postpone delays the action, in minutes")
        int postpone_minutes() default 10;

        @AttributeDefinition(description = "How many times the person at the Host may postpone one action")
        int max_postpones() default 3;
    }

    /** The actions (their operation ids are their names in lower case), with what the person at the Host reads. */
    enum Action {
        RESTART("Restart", "The computer restarts"),
        SHUTDOWN("Shut down", "The computer shuts down"),
        LOGOFF("Log off the desktop user", "You are logged off"),
        LOCK("Lock the screen", "The screen locks");

        final String title;
        final String what;

        Action(String title, String what) {
            this.title = title;
            this.what = what;
        }

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final List<Field> PARAMETERS = List.of(
            Field.of("message", "Message to the person at the Host", FieldType.TEXT, false),
            Field.of("countdown", "Countdown (seconds, at most " + MAX_COUNTDOWN + ")", FieldType.INTEGER, false),
            Field.of("postpone", "The person may postpone", FieldType.BOOLEAN, false));
    static final List<Field> STATUS = List.of(Field.of("coming", "Coming", FieldType.TEXT, false),
            Field.of("at", "At", FieldType.TIMESTAMP, false), Field.of("postponed", "Postponed", FieldType.INTEGER, false),
Field.of("last", "Last run", FieldType.TEXT, false));

    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "System Control countdown");
        t.setDaemon(true);
        return t;
    });
    private volatile @Nullable CountdownNotice notice;
    private Map<Action, List<String>> commands = Map.of();
    private Duration postpone = Duration.ofMinutes(10);
    private int maxPostpones = 3;

    /** The action coming, if any; guarded by this. */
    private @Nullable Coming coming;
    private String last = "";

    /** What a Guest asked for, checked. */
    record Request(Action action, String message, Duration countdown, boolean postponable) {
    }

    /** One action on its way: the request, when it happens, how often it was postponed, its window and its timer. */
    private static final class Coming {
        final Request request;
        final Action action;
        Instant at = Instant.EPOCH;
        int postponed;
        @Nullable CompletableFuture<CountdownNotice.Answer> shown;
        @Nullable ScheduledFuture<?> task;

        Coming(Request request) {
            this.request = request;
            this.action = request.action();
        }
    }

    public PowerTool() {
        this(Clock.systemUTC());
    }

    PowerTool(Clock clock) {
        super(ID, "System Control", "System");
        this.clock = clock;
        for (Action a : Action.values()) {
            operation(new Operation(a.id(), a.title, PARAMETERS, true), arguments -> schedule(a, arguments));
        }
        operation(new Operation("cancel", "Call off what is coming", List.of(), true), arguments -> cancel());
        operation(new Operation("status", "What is coming", List.of(), false), arguments -> status());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setNotice(CountdownNotice n) {
        notice = n;
    }

    @Nullable CountdownNotice notice() {
        return notice;
    }

    void unsetNotice(@Nullable CountdownNotice n) {
        if (notice == n) {
            notice = null;
        }
    }

    @Activate
    void activate(Config config) {
        Map<Action, List<String>> c = new LinkedHashMap<>();
        c.put(Action.RESTART, argv(config.restart_command()));
        c.put(Action.SHUTDOWN, argv(config.shutdown_command()));
        c.put(Action.LOGOFF, argv(config.logoff_command()));
        c.put(Action.LOCK, argv(config.lock_command()));
        configure(c, Duration.ofMinutes(Math.max(1, config.postpone_minutes())), Math.max(0, config.max_postpones()));
    }

    synchronized void configure(Map<Action, List<String>> commands, Duration postpone, int maxPostpones) {
        this.commands = Map.copyOf(commands);
        this.postpone = postpone;
        this.maxPostpones = maxPostpones;
    }

    /** A configured command as argv; the operator's, so split at spaces, {user} the node's user. */
    static List<String> argv(String command) {
        String user = System.getProperty("user.name", "");
        return Arrays.stream(command.strip().split("\\s+")).filter(s -> !s.isEmpty()).map(s -> s.replace("{user}", user)).toList();
    }

    @Deactivate
    void deactivate() {
        synchronized (this) {
            if (coming != null) {
                System.getLogger(PID).log(System.Logger.Level.WARNING, "System Control stops: the coming {0} is called off",
                        coming.action.id());
                stop(coming);
                coming = null;
            }
        }
        timer.shutdownNow();
    }

    synchronized Result.Message schedule(Action action, Map<String, String> arguments) throws ToolException {
        String message = arguments.getOrDefault("message", "");
        if (message.length() > MAX_MESSAGE) {
            throw new ToolException("the message is longer than " + MAX_MESSAGE + " characters");
        }
        int seconds = DEFAULT_COUNTDOWN;
        String c = arguments.get("countdown");
        if (c != null && !c.isBlank()) {
            try {
                seconds = Integer.parseInt(c.strip());
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (seconds < 0 || seconds > MAX_COUNTDOWN) {
                throw new ToolException("the countdown is 0 to " + MAX_COUNTDOWN + " seconds");
            }
        }
        List<String> command = commands.get(action);
        if (command == null || command.isEmpty() || !Path.of(command.get(0)).isAbsolute()) {
            throw new ToolException("no command is configured to " + action.title.toLowerCase(Locale.ROOT)
                    + " (" + PID + ")");
        }
        if (coming != null) {
            throw new ToolException(coming.action.title + " is coming already, at " + coming.at + "; call it off first");
        }
        boolean postponable = Boolean.parseBoolean(arguments.get("postpone")) && maxPostpones > 0;
        Coming k = new Coming(new Request(action, message, Duration.ofSeconds(seconds), postponable));
        coming = k;
        String shown = countDown(k);
        return new Result.Message(action.what + " in " + seconds + " s" + shown
                + (postponable ? ", who may postpone it by " + postpone.toMinutes() + " min up to " + maxPostpones + " times." : "."));
    }

    /** Starts (or restarts, after a postpone) the countdown of {@code k}; says who sees it. */
    private String countDown(Coming k) {
        k.at = clock.instant().plus(k.request.countdown());
        k.task = timer.schedule(() -> happen(k), k.request.countdown().toMillis(), TimeUnit.MILLISECONDS);
        CountdownNotice n = notice;
        if (n == null) {
            return "; no desktop shows it to the person at the Host";
        }
        Duration may = k.request.postponable() && k.postponed < maxPostpones ? postpone : Duration.ZERO;
        CompletableFuture<CountdownNotice.Answer> answer = n.show(new Countdown(k.action.what, k.request.message(), GUEST, k.request.countdown(), may));
        k.shown = answer;
        answer.thenAccept(a -> {
            if (a == CountdownNotice.Answer.POSTPONED) {
                postponed(k);
            }
        });
        return ": the person at the Host sees it";
    }

    private synchronized void postponed(Coming k) {
        if (coming != k || !k.request.postponable() || k.postponed >= maxPostpones || k.task == null || !k.task.cancel(false)) {
            return;
        }
        k.postponed++;
        k.at = clock.instant().plus(postpone).plus(k.request.countdown());
        System.getLogger(PID).log(System.Logger.Level.INFO, "the person at the Host postponed the {0} ({1} of {2})",
                k.action.id(), k.postponed, maxPostpones);
        k.task = timer.schedule(() -> {
            synchronized (this) {
                if (coming == k) {
                    countDown(k);
                }
            }
        }, postpone.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void happen(Coming k) {
        List<String> command;
        synchronized (this) {
            if (coming != k) {
                return;
            }
            coming = null;
            command = commands.get(k.action);
            if (k.shown != null) {
                k.shown.cancel(false);
            }
        }
        String outcome;
        try {
            Commands.Outcome o = Commands.run(command, COMMAND_TIMEOUT, 4096);
            outcome = o.status() == 0 ? "ran" : "failed (exit status " + o.status() + ": " + o.lastLine() + ")";
        } catch (ToolException e) {
            outcome = "failed: " + e.getMessage();
        }
        String line = k.action.id() + " at " + clock.instant() + ": " + String.join(" ", command) + " " + outcome;
        System.getLogger(PID).log(System.Logger.Level.WARNING, "System Control: {0}", line);
        synchronized (this) {
            last = line;
        }
    }

    private void stop(Coming k) {
        if (k.task != null) {
            k.task.cancel(false);
        }
        if (k.shown != null) {
            k.shown.cancel(false);
        }
    }

    synchronized Result.Message cancel() throws ToolException {
        Coming k = coming;
        if (k == null) {
            throw new ToolException("nothing is coming");
        }
        coming = null;
        stop(k);
        return new Result.Message(k.action.title + " (due at " + k.at + ") is called off.");
    }

    synchronized Result.Form status() {
        Map<String, String> values = new LinkedHashMap<>();
        Coming k = coming;
        values.put("coming", k == null ? "nothing" : k.action.title);
        if (k != null) {
            values.put("at", k.at.toString());
            values.put("postponed", Integer.toString(k.postponed));
        }
        values.put("last", last);
        return new Result.Form(STATUS, values);
    }
}
