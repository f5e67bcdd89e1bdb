package org.tandemrc.screen.awt.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.tandemrc.api.screen.InputSink;
import org.tandemrc.api.screen.ScreenSource;

/** The component on a desktop ({@link XvfbDesktop}), with a recording stand-in for the framework. */
class AwtScreenComponentTest {

    /** What registerService was given. */
    private record Registration(String[] names, Object service, Dictionary<?, ?> properties) {
    }

    @BeforeAll
    static void desktop() throws Exception {
        XvfbDesktop.get();
    }

    @Test
    void oneObjectIsRegisteredAsScreenSourceAndInputSinkBelowTheX11BackendAndUnregisteredOnDeactivate() {
        AtomicInteger unregistered = new AtomicInteger();
        ServiceRegistration<?> handle = stub(ServiceRegistration.class, (method, args) -> {
            if (method.equals("unregister")) {
                unregistered.incrementAndGet();
                return null;
            }
            throw new UnsupportedOperationException(method);
        });
        List<Registration> registrations = new ArrayList<>();
        BundleContext context = stub(BundleContext.class, (method, args) -> {
            if (method.equals("registerService") && args[0] instanceof String[] names) {
                registrations.add(new Registration(names, args[1], (Dictionary<?, ?>) args[2]));
                return handle;
            }
            throw new UnsupportedOperationException(method);
        });

        AwtScreenComponent component = new AwtScreenComponent();
        component.activate(context);
        assertEquals(1, registrations.size());
        Registration r = registrations.get(0);
        assertArrayEquals(new String[] {ScreenSource.class.getName(), InputSink.class.getName()}, r.names());
        assertEquals("awt-robot", assertInstanceOf(AwtScreen.class, r.service()).backend());
        assertEquals(50, r.properties().get("service.ranking"));
        assertEquals("awt-robot", r.properties().get("tandem.screen.backend"));

        component.deactivate();
        assertEquals(1, unregistered.get());
        component.deactivate();
        assertEquals(1, unregistered.get(), "nothing left to unregister");
    }

    /** A stand-in answering each call by the method's name and arguments. */
    private static <T> T stub(Class<T> type, BiFunction<String, Object[], Object> answer) {
        return type.cast(Proxy.newProxyInstance(AwtScreenComponentTest.class.getClassLoader(), new Class<?>[] {type},
                (p, method, args) -> answer.apply(method.getName(), args)));
    }
}
