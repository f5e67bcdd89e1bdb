package org.tandemrc.launcher;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;

/** Creating a Felix framework the way every Tandem node (and the build's feature check) runs it. */
final class Frameworks {

    private Frameworks() {
    }

    /**
     * A framework, initialized but not started.
     *
     * @param storage the bundle cache folder
     * @param clean   whether to empty the cache first (for throw-away frameworks)
     * @param extra   further framework properties
     */
    static Framework create(Path storage, boolean clean, Map<String, String> extra) throws BundleException {
        Map<String, String> config = new HashMap<>();
        config.put("org.osgi.framework.storage", storage.toString());
        if (clean) {
            config.put("org.osgi.framework.storage.clean", "onFirstInit");
        }
        // Felix reports its own problems through java.util.logging (see FelixToJul).
        config.put("felix.log.level", "3");
        config.putAll(extra);
        Map<String, Object> withLogger = new HashMap<>(config);
        withLogger.put("felix.log.logger", new FelixToJul());
        @SuppressWarnings({"unchecked", "rawtypes"})
        Framework framework = new FrameworkFactory().newFramework((Map) withLogger);
        framework.init();
        return framework;
    }

    /** Refreshes bundles (null: all that need it) and waits until the framework is done. */
    static void refresh(BundleContext context, List<Bundle> bundles) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        FrameworkListener listener = event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        };
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(bundles, listener);
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the framework did not finish refreshing bundles within 60 s");
        }
    }
}
