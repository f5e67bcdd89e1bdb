package org.tandemrc.host.desktop.internal;

import java.awt.Window;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import javax.swing.JFileChooser;
import javax.swing.SwingUtilities;

/**
 * Where to save a file a Guest offers: the platform's save dialog, in the folder the Host proposes with the
 * offered name filled in, so Enter saves there. Cancel, closing it, or the offer's time running out (the
 * answer completed elsewhere) save nothing. Shown on the event dispatch thread only.
 */
final class SaveDialog {

    private SaveDialog() {
    }

    /** Shows the dialog and completes {@code where} with the file chosen, or empty. */
    static void show(Path proposed, String title, CompletableFuture<Optional<Path>> where) {
        if (where.isDone()) {
            return;
        }
        JFileChooser chooser = new JFileChooser(proposed.getParent() == null ? null : proposed.getParent().toFile());
        chooser.setDialogTitle(title);
        chooser.setFileSelectionMode(JFileChooser.FILES_ONLY);
        chooser.setSelectedFile(proposed.toFile());
        // The time ran out while the person chose: the dialog goes, and what it returns is ignored.
        where.whenComplete((p, e) -> SwingUtilities.invokeLater(() -> {
            Window w = SwingUtilities.getWindowAncestor(chooser);
            if (w != null) {
                w.dispose();
            }
        }));
        int result = chooser.showSaveDialog(null);
        where.complete(result == JFileChooser.APPROVE_OPTION && chooser.getSelectedFile() != null
                ? Optional.of(chooser.getSelectedFile().toPath().toAbsolutePath()) : Optional.empty());
    }
}
