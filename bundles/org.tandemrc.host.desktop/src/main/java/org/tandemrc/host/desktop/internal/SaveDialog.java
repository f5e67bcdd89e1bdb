package org.tandemrc.host.desktop.internal;

import java.awt.Component;
import java.awt.Font;
import java.awt.Window;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import javax.swing.JButton;
import javax.swing.JDialog;
import javax.swing.JFileChooser;
import javax.swing.JOptionPane;
import javax.swing.SwingUtilities;

/**
 * Where to save a file a Guest offers: the platform's save dialog, in the folder the Host proposes with the
 * offered name filled in, so Enter saves there. A name that exists asks "Replace NAME?" first (Replace /
 * Cancel, Cancel focused); Cancel goes back to choosing. Cancel in the save dialog, closing it, or the offer's
 * time running out (the answer completed elsewhere) save nothing. Shown on the event dispatch thread only.
 */
final class SaveDialog {

    private SaveDialog() {
    }

    /** Shows the dialog and completes {@code where} with the file chosen, or empty. */
    static void show(Path proposed, String title, Texts texts, Scale scale, CompletableFuture<Optional<Path>> where) {
        if (where.isDone()) {
            return;
        }
        JFileChooser chooser = new JFileChooser(proposed.getParent() == null ? null : proposed.getParent().toFile()) {
            @Override
            public void approveSelection() {
                File chosen = getSelectedFile();
                // Nothing is written until the person confirms: the answer goes out only after this.
                if (chosen != null && !mayReplace(chosen.toPath(), p -> confirmReplace(this, p, texts, scale))) {
                    return; // back to choosing
                }
                super.approveSelection();
            }
        };
        chooser.setDialogTitle(title);
        chooser.setFileSelectionMode(JFileChooser.FILES_ONLY);
        chooser.setSelectedFile(proposed.toFile());
        // The time ran out while the person chose: the dialog goes (with a question it asks), and what it
        // returns is ignored.
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

    /**
     * Whether the file chosen may be saved at {@code chosen}: a free name may; anything there (a file, a link,
     * a folder) only when {@code replace} says so, which is asked nothing otherwise.
     */
    static boolean mayReplace(Path chosen, Predicate<Path> replace) {
        return !Files.exists(chosen, LinkOption.NOFOLLOW_LINKS) || replace.test(chosen);
    }

    /** Asks "Replace NAME?"; Cancel has the keyboard, so a stray Enter keeps the file. */
    private static boolean confirmReplace(Component parent, Path file, Texts texts, Scale scale) {
        String name = Texts.peer(String.valueOf(file.getFileName()));
        String folder = Texts.peer(String.valueOf(file.toAbsolutePath().getParent()));
        JOptionPane pane = new JOptionPane(texts.get("save.replace.text", name, folder), JOptionPane.WARNING_MESSAGE,
                JOptionPane.DEFAULT_OPTION);
        Font font = scale.font(Font.PLAIN, 13);
        JButton replace = Buttons.of(texts, "save.replace", font, () -> pane.setValue("replace"));
        JButton cancel = Buttons.of(texts, "save.cancel", font, () -> pane.setValue("cancel"));
        pane.setOptions(new Object[] {replace, cancel});
        pane.setInitialValue(cancel);
        JDialog dialog = pane.createDialog(parent, texts.get("product") + ": " + texts.get("save.replace.title", name));
        dialog.setVisible(true); // modal: returns once answered, closed, or disposed with the save dialog
        dialog.dispose();
        return "replace".equals(pane.getValue());
    }
}
