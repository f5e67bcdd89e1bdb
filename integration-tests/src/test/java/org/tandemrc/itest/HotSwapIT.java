package org.tandemrc.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;

/**
 * Hot swap that is real. Felix boots with SCR and the Tandem API; two test-only plugins (alpha and
 * beta, Declarative Services components built from test sources by {@link PluginBundles}) each
 * register a {@link RemoteTool}. While a background caller keeps invoking beta and listeners record
 * anything that happens to beta's service and bundle, alpha is updated in place (and refreshed) and
 * later uninstalled. Beta must keep serving throughout, untouched.
 *
 * <p>The configuration method runs outside the framework; the test methods run inside it (in the Pax
 * Exam probe bundle).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HotSwapIT {

    private static final long TIMEOUT_MILLIS = 15_000;
    private static final String PLUGINS_PROPERTY = "tandem.itest.plugins";
    private static final String API_BSN = "org.tandemrc.api";
    /**
     * Alpha v2 takes 200 ms to activate and is started twice (update, then refresh), so the swap
     * lasts at least 400 ms; with a call every ~0.1-0.2 ms beta answers thousands of times meanwhile
     * (about 2,300 on a 2-core machine). The floor leaves room for a loaded CI machine.
     */
    private static final long MIN_CALLS_DURING_SWAP = 100;

    // ---------------------------------------------------------------- outside the framework

    @Configuration
    public Option[] config() throws Exception {
        Path plugins = PluginBundles.build();
        return options(
                workingDirectory(System.getProperty("tandem.itest.work", "target/itest") + "/paxexam"),
                cleanCaches(true),
                systemProperty("pax.exam.osgi.unresolved.fail").value("true"),
                // Quiet the DEBUG chatter of Pax Exam's own bundles inside the framework.
                systemProperty("org.ops4j.pax.logging.DefaultServiceLog.level").value("WARN"),
                frameworkProperty(PLUGINS_PROPERTY).value(plugins.toAbsolutePath().toString()),
                // What a Tandem node runs: SCR with the APIs it needs, and the Tandem API.
                fileBundle(requiredProperty("tandem.itest.bundle.function")),
                fileBundle(requiredProperty("tandem.itest.bundle.promise")),
                fileBundle(requiredProperty("tandem.itest.bundle.component")),
                fileBundle(requiredProperty("tandem.itest.bundle.scr")),
                fileBundle(apiBundle()),
                junitBundles());
    }

    /**
     * The Tandem API bundle: the jar built in this reactor, else the one Maven resolved (the installed
     * artifact when this module is built on its own).
     */
    static String apiBundle() {
        List<String> tried = new ArrayList<>();
        for (String key : List.of("tandem.itest.bundle.api", "tandem.itest.bundle.api.resolved")) {
            String path = System.getProperty(key);
            if (path != null && new File(path).isFile()) {
                return path;
            }
            tried.add(key + "=" + path);
        }
        throw new IllegalStateException("Tandem API bundle not found (" + tried
                + "); build it first: mvn -B install -DskipTests in the project root");
    }

    private static String requiredProperty(String key) {
        String value = System.getProperty(key);
        if (value == null || value.contains("${") || !new File(value).isFile()) {
            throw new IllegalStateException(key + " is " + value + ": run the tests with Maven (failsafe sets it)");
        }
        return value;
    }

    private static Option fileBundle(String path) {
        return bundle(new File(path).toURI().toString());
    }

    // ---------------------------------------------------------------- inside the framework

    private BundleContext context;
    private Path plugins;

    @Before
    public void setUp() {
        context = FrameworkUtil.getBundle(HotSwapIT.class).getBundleContext();
        plugins = Path.of(context.getProperty(PLUGINS_PROPERTY));
        Bundle api = bundleNamed(API_BSN);
        assertEquals("the Tandem API bundle is active", Bundle.ACTIVE, api.getState());
    }

    @Test
    public void updatingOnePluginInPlaceLeavesTheOtherServing() throws Exception {
        Installed both = installBoth();
        Bundle alpha = both.alpha();
        Bundle beta = both.beta();
        ServiceReference<RemoteTool> alphaV1 = both.alphaTool();
        ServiceReference<RemoteTool> betaBefore = both.betaTool();
        long betaServiceId = serviceId(betaBefore);
        BundleRevision alphaV1Revision = alpha.adapt(BundleRevision.class);
        Map<Long, BundleState> before = snapshot();

        try (BetaWatch watch = new BetaWatch(context, beta, betaServiceId, alpha)) {
            watch.awaitSuccesses(100);

            long callsBefore = watch.successes();
            long start = System.nanoTime();
            swapAlphaToV2(alpha);
            ServiceReference<RemoteTool> alphaV2 = awaitTool("alpha", "alpha v2");
            long swapMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long callsDuringSwap = watch.successes() - callsBefore;
            watch.awaitSuccesses(watch.successes() + 100);
            watch.stop();
            System.out.printf("HotSwapIT: swap took %d ms; beta answered %d calls meanwhile, %d in all, %d failures%n",
                    swapMillis, callsDuringSwap, watch.successes(), watch.failureCount());

            // Alpha: the same bundle, a new revision running the new code, a new service.
            assertSame(alpha, alphaV2.getBundle());
            assertEquals(new Version(2, 0, 0), alpha.getVersion());
            assertEquals(Bundle.ACTIVE, alpha.getState());
            assertNotEquals("alpha has a new revision", alphaV1Revision, alpha.adapt(BundleRevision.class));
            assertNull("alpha v1's service is withdrawn", alphaV1.getBundle());
            assertEquals("one alpha service", 1, tools("alpha").size());

            // Beta: served throughout, never unregistered, stopped or refreshed.
            watch.assertUndisturbed();
            assertTrue("beta answered only " + callsDuringSwap + " calls during the swap",
                    callsDuringSwap >= MIN_CALLS_DURING_SWAP);
            ServiceReference<RemoteTool> betaAfter = awaitTool("beta", "beta v1");
            assertEquals("beta's service.id", betaServiceId, serviceId(betaAfter));
            assertEquals("one beta service", 1, tools("beta").size());

            // Nothing but alpha changed: same bundles, states, revisions and wirings.
            assertUnchangedExcept(before, snapshot(), alpha.getBundleId());
        }
    }

    @Test
    public void uninstallingOnePluginWithdrawsOnlyItsService() throws Exception {
        Installed both = installBoth();
        Bundle alpha = both.alpha();
        Bundle beta = both.beta();
        long betaServiceId = serviceId(both.betaTool());
        Bundle api = bundleNamed(API_BSN);
        BundleWiring apiWiring = api.adapt(BundleWiring.class);

        try (BetaWatch watch = new BetaWatch(context, beta, betaServiceId, alpha)) {
            watch.awaitSuccesses(100);
            swapAlphaToV2(alpha);
            ServiceReference<RemoteTool> alphaV2 = awaitTool("alpha", "alpha v2");
            Map<Long, BundleState> before = snapshot();

            long callsBefore = watch.successes();
            alpha.uninstall();
            refresh(alpha);
            watch.awaitSuccesses(watch.successes() + 100);
            watch.stop();
            System.out.printf("HotSwapIT: beta answered %d calls while alpha was uninstalled, %d in all, %d failures%n",
                    watch.successes() - callsBefore, watch.successes(), watch.failureCount());

            // Alpha and its service are gone.
            assertEquals(Bundle.UNINSTALLED, alpha.getState());
            assertNull(context.getBundle(alpha.getBundleId()));
            assertNull("alpha's service is withdrawn", alphaV2.getBundle());
            assertTrue("no alpha service left", tools("alpha").isEmpty());

            // Beta kept serving, from the same service; the API bundle is untouched.
            watch.assertUndisturbed();
            assertEquals("beta's service.id", betaServiceId, serviceId(awaitTool("beta", "beta v1")));
            assertEquals("the only tool left is beta", List.of(betaServiceId),
                    tools(null).stream().map(HotSwapIT::serviceId).toList());
            assertEquals(Bundle.ACTIVE, api.getState());
            assertSame("the API bundle was not refreshed", apiWiring, api.adapt(BundleWiring.class));

            // Every other bundle is as it was.
            assertUnchangedExcept(before, snapshot(), alpha.getBundleId());
        }
    }

    /**
     * Proves the watch is not blind: refreshing beta along with alpha must trip every check the two
     * tests above rely on.
     */
    @Test
    public void disturbingTheOtherPluginIsDetected() throws Exception {
        Installed both = installBoth();
        long betaServiceId = serviceId(both.betaTool());
        Map<Long, BundleState> before = snapshot();
        Bundle alpha = both.alpha();
        Bundle beta = both.beta();

        try (BetaWatch watch = new BetaWatch(context, beta, betaServiceId, alpha)) {
            watch.awaitSuccesses(100);
            try (InputStream in = Files.newInputStream(plugins.resolve(PluginBundles.ALPHA_V2))) {
                alpha.update(in);
            }
            refresh(alpha, beta); // the mistake: beta is refreshed too
            awaitTool("alpha", "alpha v2");
            long newBetaServiceId = serviceId(awaitTool("beta", "beta v1"));
            watch.stop();

            assertThrows(AssertionError.class, watch::assertUndisturbed);
            assertTrue("the watch saw beta stop: " + watch.disturbances(),
                    watch.disturbances().stream().anyMatch(d -> d.contains("STOPPED")));
            assertTrue("the watch saw beta's service unregistered: " + watch.disturbances(),
                    watch.disturbances().stream().anyMatch(d -> d.contains("unregistered")));
            assertNotEquals("beta has a new service.id", betaServiceId, newBetaServiceId);
            assertThrows(AssertionError.class, () -> assertUnchangedExcept(before, snapshot(), alpha.getBundleId()));
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Alpha v1 and beta, installed and serving. */
    private record Installed(Bundle alpha, Bundle beta, ServiceReference<RemoteTool> alphaTool,
            ServiceReference<RemoteTool> betaTool) {
    }

    private Installed installBoth() throws Exception {
        Bundle alpha = install(PluginBundles.ALPHA_V1);
        Bundle beta = install(PluginBundles.BETA);
        return new Installed(alpha, beta, awaitTool("alpha", "alpha v1"), awaitTool("beta", "beta v1"));
    }

    private Bundle install(String plugin) throws Exception {
        Bundle bundle = context.installBundle(plugins.resolve(plugin).toUri().toString());
        bundle.start();
        return bundle;
    }

    /** Updates alpha in place to v2 and refreshes it alone, waiting for the refresh to finish. */
    private void swapAlphaToV2(Bundle alpha) throws Exception {
        FrameworkWiring wiring = frameworkWiring();
        assertEquals("refreshing alpha reaches nothing else", Set.of(alpha),
                Set.copyOf(wiring.getDependencyClosure(List.of(alpha))));
        try (InputStream in = Files.newInputStream(plugins.resolve(PluginBundles.ALPHA_V2))) {
            alpha.update(in);
        }
        refresh(alpha);
    }

    private void refresh(Bundle... bundles) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        List<FrameworkEvent> errors = new CopyOnWriteArrayList<>();
        frameworkWiring().refreshBundles(Arrays.asList(bundles), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            } else if (event.getType() == FrameworkEvent.ERROR) {
                errors.add(event);
            }
        });
        assertTrue("refresh finished", done.await(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        assertEquals("errors during refresh", List.of(), errors);
    }

    private FrameworkWiring frameworkWiring() {
        return context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
    }

    /** Waits for a tool with the given id that answers {@code hello} with {@code expected}. */
    private ServiceReference<RemoteTool> awaitTool(String id, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        String last = "no service";
        while (System.nanoTime() < deadline) {
            for (ServiceReference<RemoteTool> ref : tools(id)) {
                RemoteTool tool = context.getService(ref);
                if (tool == null) {
                    continue;
                }
                try {
                    Result result = tool.invoke("hello", Map.of());
                    if (result instanceof Result.Message message && message.text().equals(expected)) {
                        return ref;
                    }
                    last = String.valueOf(result);
                } catch (ToolException e) {
                    last = e.toString();
                } finally {
                    context.ungetService(ref);
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no '" + id + "' tool answered '" + expected + "' within " + TIMEOUT_MILLIS
                + " ms; last: " + last);
    }

    /** The registered tools with the given id, or all tools if {@code id} is null. */
    private Collection<ServiceReference<RemoteTool>> tools(String id) throws Exception {
        return context.getServiceReferences(RemoteTool.class,
                id == null ? null : "(" + RemoteTool.ID_PROPERTY + "=" + id + ")");
    }

    private static long serviceId(ServiceReference<?> ref) {
        return (Long) ref.getProperty(Constants.SERVICE_ID);
    }

    private Bundle bundleNamed(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** What must not change about a bundle that nobody touched. Revision and wiring compare by identity. */
    private record BundleState(String name, int state, long lastModified, BundleRevision revision, BundleWiring wiring) {

        static BundleState of(Bundle bundle) {
            return new BundleState(bundle.getSymbolicName() + " " + bundle.getVersion(), bundle.getState(),
                    bundle.getLastModified(), bundle.adapt(BundleRevision.class), bundle.adapt(BundleWiring.class));
        }

        @Override
        public String toString() {
            return name + " state=" + state + " lastModified=" + lastModified + " revision@"
                    + System.identityHashCode(revision) + " wiring@" + System.identityHashCode(wiring);
        }
    }

    private Map<Long, BundleState> snapshot() {
        Map<Long, BundleState> bundles = new TreeMap<>();
        for (Bundle bundle : context.getBundles()) {
            bundles.put(bundle.getBundleId(), BundleState.of(bundle));
        }
        return bundles;
    }

    private static void assertUnchangedExcept(Map<Long, BundleState> before, Map<Long, BundleState> after, long changed) {
        Map<Long, BundleState> expected = new TreeMap<>(before);
        Map<Long, BundleState> actual = new TreeMap<>(after);
        expected.remove(changed);
        actual.remove(changed);
        assertEquals("bundles other than bundle " + changed, expected, actual);
    }

    /**
     * Calls beta continuously from a background thread, through a service tracker, and records every
     * failed call, everything that happens to beta's service registration and bundle, and any event on
     * a bundle other than the one being swapped.
     */
    private static final class BetaWatch implements AutoCloseable, ServiceListener, SynchronousBundleListener {

        private static final int KEPT_FAILURES = 20;

        private final BundleContext context;
        private final Bundle beta;
        private final long serviceId;
        private final Bundle swapped;
        private final ServiceTracker<RemoteTool, RemoteTool> tracker;
        private final List<String> disturbances = new CopyOnWriteArrayList<>();
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final AtomicLong failureCount = new AtomicLong();
        private final AtomicLong successes = new AtomicLong();
        private final Thread caller;
        private volatile boolean running = true;

        /**
         * @param beta      the plugin that must not be disturbed
         * @param serviceId beta's service.id, which must stay the one serving
         * @param swapped   the only bundle allowed to change (alpha)
         */
        BetaWatch(BundleContext context, Bundle beta, long serviceId, Bundle swapped) throws Exception {
            this.context = context;
            this.beta = beta;
            this.serviceId = serviceId;
            this.swapped = swapped;
            Filter filter = context.createFilter("(&(" + Constants.OBJECTCLASS + "=" + RemoteTool.class.getName()
                    + ")(" + RemoteTool.ID_PROPERTY + "=beta))");
            context.addBundleListener(this);
            context.addServiceListener(this, filter.toString());
            tracker = new ServiceTracker<>(context, filter, null);
            tracker.open();
            caller = new Thread(this::callBeta, "beta-caller");
            caller.setDaemon(true);
            caller.start();
        }

        private void callBeta() {
            while (running) {
                ServiceReference<RemoteTool> ref = tracker.getServiceReference();
                RemoteTool tool = tracker.getService();
                if (ref == null || tool == null) {
                    failure("no beta service");
                } else if (serviceId(ref) != serviceId) {
                    failure("beta served by service.id " + serviceId(ref) + " instead of " + serviceId);
                } else {
                    try {
                        Result result = tool.invoke("hello", Map.of());
                        if (result instanceof Result.Message message && message.text().equals("beta v1")) {
                            successes.incrementAndGet();
                        } else {
                            failure("beta answered " + result);
                        }
                    } catch (ToolException | RuntimeException e) {
                        failure("beta threw " + e);
                    }
                }
                LockSupport.parkNanos(100_000);
            }
        }

        private void failure(String what) {
            if (failureCount.incrementAndGet() <= KEPT_FAILURES) {
                failures.add(what);
            }
        }

        @Override
        public void serviceChanged(ServiceEvent event) {
            long id = serviceId(event.getServiceReference());
            switch (event.getType()) {
                case ServiceEvent.REGISTERED -> disturbances.add("a beta service was registered, service.id " + id);
                case ServiceEvent.UNREGISTERING -> disturbances.add("beta's service.id " + id + " was unregistered");
                case ServiceEvent.MODIFIED -> disturbances.add("beta's service.id " + id + " was modified");
                case ServiceEvent.MODIFIED_ENDMATCH -> disturbances.add("beta's service.id " + id + " stopped matching");
                default -> disturbances.add("service event " + event.getType() + " on beta's service.id " + id);
            }
        }

        @Override
        public void bundleChanged(BundleEvent event) {
            long id = event.getBundle().getBundleId();
            if (id == beta.getBundleId()) {
                disturbances.add("beta bundle event " + bundleEventName(event.getType()));
            } else if (id != swapped.getBundleId()) {
                disturbances.add("bundle " + id + " (" + event.getBundle().getSymbolicName() + ") event "
                        + bundleEventName(event.getType()));
            }
        }

        private static String bundleEventName(int type) {
            return switch (type) {
                case BundleEvent.INSTALLED -> "INSTALLED";
                case BundleEvent.RESOLVED -> "RESOLVED";
                case BundleEvent.LAZY_ACTIVATION -> "LAZY_ACTIVATION";
                case BundleEvent.STARTING -> "STARTING";
                case BundleEvent.STARTED -> "STARTED";
                case BundleEvent.STOPPING -> "STOPPING";
                case BundleEvent.STOPPED -> "STOPPED";
                case BundleEvent.UPDATED -> "UPDATED";
                case BundleEvent.UNRESOLVED -> "UNRESOLVED";
                case BundleEvent.UNINSTALLED -> "UNINSTALLED";
                default -> String.valueOf(type);
            };
        }

        long successes() {
            return successes.get();
        }

        long failureCount() {
            return failureCount.get();
        }

        List<String> disturbances() {
            return List.copyOf(disturbances);
        }

        /** Waits until beta has answered {@code count} calls in all; fails at once if beta was disturbed. */
        void awaitSuccesses(long count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
            while (successes.get() < count) {
                if (!disturbances.isEmpty() || failureCount.get() > 0) {
                    assertUndisturbed();
                }
                if (System.nanoTime() > deadline) {
                    fail("beta answered " + successes.get() + " of " + count + " calls; failures: " + failures);
                }
                Thread.sleep(1);
            }
        }

        void stop() throws InterruptedException {
            running = false;
            caller.join(TIMEOUT_MILLIS);
            assertTrue("the caller stopped", !caller.isAlive());
        }

        void assertUndisturbed() {
            assertEquals("beta (or another bundle besides alpha) was disturbed", List.of(), disturbances());
            assertEquals("failed calls to beta (first " + KEPT_FAILURES + ": " + failures + ")", 0, failureCount.get());
            assertEquals("beta's state", Bundle.ACTIVE, beta.getState());
            assertNotNull("beta's context", beta.getBundleContext());
        }

        @Override
        public void close() throws InterruptedException {
            stop();
            tracker.close();
            context.removeServiceListener(this);
            context.removeBundleListener(this);
        }
    }
}
