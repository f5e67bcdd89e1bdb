package org.tandemrc.launcher;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Calls commands that bundles add to the command line ({@code org.tandemrc.api.node.Command}
 * services), by service property and method name, with JDK types only: the kernel never loads an
 * API class, so the API bundle stays updatable in place.
 */
final class Commands {

    static final String NAME_PROPERTY = "tandem.command";

    private Commands() {
    }

    /** Whether a command is registered now. */
    static boolean exists(BundleContext context, String name) {
        return reference(context, name) != null;
    }

    /**
     * Runs a command, waiting up to {@code wait} for it to be registered.
     *
     * @return its exit status, or null when no such command appeared in time
     */
    static Integer invoke(BundleContext context, String name, Duration wait, List<String> args, InputStream in,
            PrintStream out, PrintStream err) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        ServiceReference<?> ref = reference(context, name);
        while (ref == null && System.nanoTime() < deadline) {
            Thread.sleep(20); // components register asynchronously through SCR
            ref = reference(context, name);
        }
        if (ref == null) {
            return null;
        }
        Object command = context.getService(ref);
        if (command == null) {
            return null;
        }
        try {
            // Through the public interface: the implementing class may well be package-private.
            Method run = commandInterface(command.getClass()).getMethod("run", List.class, InputStream.class,
                    PrintStream.class, PrintStream.class);
            return (Integer) run.invoke(command, args, in, out, err);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            err.println("tandem: " + name + " failed: " + cause);
            return 1;
        } catch (ReflectiveOperationException | ClassCastException e) {
            err.println("tandem: the " + name + " command is not usable: " + e);
            return 1;
        } finally {
            context.ungetService(ref);
        }
    }

    private static Class<?> commandInterface(Class<?> type) throws NoSuchMethodException {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals("org.tandemrc.api.node.Command")) {
                    return i;
                }
            }
        }
        throw new NoSuchMethodException(type + " does not implement org.tandemrc.api.node.Command");
    }

    private static ServiceReference<?> reference(BundleContext context, String name) {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null,
                    "(&(objectClass=org.tandemrc.api.node.Command)(" + NAME_PROPERTY + "=" + name + "))");
            return refs == null ? null : refs[0];
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return null;
        }
    }

    /**
     * Offers the terminal to bundles as the person at the node: a {@code java.io.InputStream} with
     * {@code tandem.console=in} and a {@code java.io.PrintStream} with {@code tandem.console=out}.
     */
    static void registerConsole(BundleContext context, InputStream in, PrintStream out) {
        Hashtable<String, Object> inProps = new Hashtable<>();
        inProps.put("tandem.console", "in");
        context.registerService(InputStream.class, in, inProps);
        Hashtable<String, Object> outProps = new Hashtable<>();
        outProps.put("tandem.console", "out");
        context.registerService(PrintStream.class, out, outProps);
    }
}
