package org.tandemrc.clipboard.awt.internal;

import java.awt.GraphicsEnvironment;
import java.awt.Toolkit;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.StringSelection;
import java.awt.datatransfer.UnsupportedFlavorException;
import java.io.IOException;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.screen.Clipboard;

/**
 * The desktop clipboard through AWT. AWT owns the selection for as long as this process runs, so
 * text set here stays pasteable. Needs a desktop (on X11, {@code DISPLAY}); without one the
 * component does not activate.
 */
@Component(service = {}, immediate = true)
public class AwtClipboard implements Clipboard {

    private static final System.Logger LOG = System.getLogger("org.tandemrc.clipboard.awt");

    private java.awt.datatransfer.Clipboard clipboard;
    private org.osgi.framework.ServiceRegistration<Clipboard> registration;

    /** Offers the clipboard only where there is a desktop; a headless node offers none. */
    @Activate
    void activate(org.osgi.framework.BundleContext context) {
        if (GraphicsEnvironment.isHeadless()) {
            LOG.log(System.Logger.Level.INFO, "no desktop: this node offers no clipboard");
            return;
        }
        registration = context.registerService(Clipboard.class, this, null);
    }

    @org.osgi.service.component.annotations.Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
            registration = null;
        }
    }

    /** AWT starts (threads, a display connection) only when the clipboard is first used. */
    private java.awt.datatransfer.Clipboard clipboard() {
        if (clipboard == null) {
            clipboard = Toolkit.getDefaultToolkit().getSystemClipboard();
        }
        return clipboard;
    }

    @Override
    public synchronized Optional<String> text() throws IOException {
        try {
            java.awt.datatransfer.Clipboard clipboard = clipboard();
            if (!clipboard.isDataFlavorAvailable(DataFlavor.stringFlavor)) {
                return Optional.empty();
            }
            return Optional.of((String) clipboard.getData(DataFlavor.stringFlavor));
        } catch (UnsupportedFlavorException | IllegalStateException e) {
            throw new IOException("the clipboard is busy or holds no text: " + e.getMessage());
        }
    }

    @Override
    public synchronized void setText(String text) throws IOException {
        try {
            StringSelection selection = new StringSelection(text);
            clipboard().setContents(selection, selection);
        } catch (IllegalStateException e) {
            throw new IOException("the clipboard is busy: " + e.getMessage());
        }
    }
}
