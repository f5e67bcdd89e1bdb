package org.tandemrc.screen.awt.internal;

import java.awt.AWTError;
import java.awt.AWTException;
import java.awt.GraphicsEnvironment;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.tandemrc.api.screen.InputSink;
import org.tandemrc.api.screen.ScreenSource;

/**
 * Offers the desktop through {@link java.awt.Robot} as {@link ScreenSource} and {@link InputSink},
 * with service ranking {@value #RANKING}: below the X11 backend (100), so this one serves only where
 * that one is absent or cannot open the display. A node without a desktop (headless Java, or a
 * desktop AWT cannot reach) offers nothing, and says so once in its log. Service property
 * {@value #BACKEND_PROPERTY} is {@code awt-robot}.
 */
@Component(service = {}, immediate = true)
public class AwtScreenComponent {

    static final String BACKEND_PROPERTY = "tandem.screen.backend";
    static final int RANKING = 50;
    private static final System.Logger LOG = System.getLogger("org.tandemrc.screen.awt");

    private ServiceRegistration<?> registration;

    @Activate
    void activate(BundleContext context) {
        if (GraphicsEnvironment.isHeadless()) {
            LOG.log(System.Logger.Level.INFO, "no desktop (Java is headless): this node offers no awt-robot screen");
            return;
        }
        AwtScreen screen;
        try {
            screen = AwtScreen.open();
        } catch (AWTException | AWTError | RuntimeException | LinkageError e) {
            // RuntimeException covers HeadlessException; AWTError is an X server AWT cannot reach;
            // LinkageError covers AWT's native libraries failing to load.
            LOG.log(System.Logger.Level.WARNING, "the desktop cannot be used through java.awt.Robot: " + e);
            return;
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("service.ranking", RANKING);
        props.put(BACKEND_PROPERTY, screen.backend());
        registration = context.registerService(new String[] {ScreenSource.class.getName(), InputSink.class.getName()},
                screen, props);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }
}
