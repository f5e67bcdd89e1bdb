package org.tandemrc.host.desktop.internal;

import java.awt.Toolkit;
import java.awt.datatransfer.StringSelection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JPasswordField;
import javax.swing.JScrollPane;
import javax.swing.JSpinner;
import javax.swing.JTextArea;
import javax.swing.SpinnerNumberModel;
import javax.swing.SwingUtilities;

import org.tandemrc.api.host.HostInvitations;

/**
 * <em>Invite a supporter</em>: the person chooses a password (twice) and how long the invitation is
 * valid, and gets the mail text to send (Copy mail text) and the invitation file (Save file…); Expire
 * and Delete end it. The password is told by phone, never in the mail: the window says so. Event
 * dispatch thread only; the Host's work (the password's verifier) runs on {@code worker}.
 */
final class InviteWindow {

    private static final DateTimeFormatter UNTIL = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM)
            .withZone(ZoneId.systemDefault());

    private final JFrame frame;
    private final Texts texts;
    private final Scale scale;
    private final Supplier<HostInvitations> invitations;
    private final ExecutorService worker;
    private final JPasswordField password = new JPasswordField(20);
    private final JPasswordField again = new JPasswordField(20);
    private final JSpinner minutes = new JSpinner(new SpinnerNumberModel(60, 1, 24 * 60, 5));
    private final JTextArea status = new JTextArea(2, 44);
    private final JTextArea mail = new JTextArea(7, 44);
    private final JButton create;
    private final JButton save;
    private final JButton copy;
    private final JButton expire;
    private final JButton delete;
    /** The invitation made last, or null. */
    private HostInvitations.Handout current;

    InviteWindow(Texts texts, Scale scale, Supplier<HostInvitations> invitations, ExecutorService worker) {
        this.texts = texts;
        this.scale = scale;
        this.invitations = invitations;
        this.worker = worker;
        Form form = new Form(texts, scale, "invite");
        frame = form.frame;
        form.row("invite.password", password);
        form.row("invite.again", again);
        form.row("invite.minutes", minutes);
        Form.wrapped(status, false);
        Form.wrapped(mail, false);
        status.setOpaque(false);
        status.setText(texts.get("invite.none"));
        // Wrapped text has no height of its own before it has a width: status and mail get room for their lines.
        status.setMinimumSize(new java.awt.Dimension(scale.px(580), scale.px(40)));
        status.setPreferredSize(status.getMinimumSize());
        form.row("invite.status", status);
        JScrollPane mailPane = new JScrollPane(mail);
        java.awt.Dimension room = new java.awt.Dimension(scale.px(580), scale.px(150));
        mailPane.setPreferredSize(room);
        mailPane.setMinimumSize(room);
        form.row("invite.mail", mailPane);
        create = form.button("invite.create", this::createInvitation);
        save = form.button("invite.save", this::saveFile);
        copy = form.button("invite.copy", this::copyMail);
        expire = form.button("invite.expire", () -> end(true));
        delete = form.button("invite.delete", () -> end(false));
        again.addActionListener(e -> createInvitation());
        form.finish(List.of(create, save, copy, expire, delete, form.button("invite.close", this::hide)), this::hide);
        enable(true);
    }

    void show() {
        if (!frame.isVisible()) {
            frame.setLocationRelativeTo(null);
            frame.setVisible(true);
        }
        frame.toFront();
        password.requestFocus();
    }

    void hide() {
        frame.setVisible(false);
    }

    void dispose() {
        frame.dispose();
    }

    boolean isShowing() {
        return frame.isShowing();
    }

    private void enable(boolean idle) {
        create.setEnabled(idle);
        boolean made = idle && current != null && current.invitation().open();
        save.setEnabled(made);
        copy.setEnabled(made);
        expire.setEnabled(made);
        delete.setEnabled(idle && current != null);
    }

    private void createInvitation() {
        HostInvitations service = invitations.get();
        if (service == null) {
            status.setText(texts.get("invite.unavailable"));
            return;
        }
        char[] p = password.getPassword();
        char[] q = again.getPassword();
        if (!Arrays.equals(p, q)) {
            Arrays.fill(p, '\0');
            Arrays.fill(q, '\0');
            status.setText(texts.get("invite.differ"));
            again.requestFocus();
            return;
        }
        Arrays.fill(q, '\0');
        Duration expiry = Duration.ofMinutes(((Number) minutes.getValue()).longValue());
        enable(false);
        status.setText(texts.get("invite.creating"));
        worker.execute(() -> {
            Object result;
            try {
                result = service.create(p, expiry, null);
            } catch (IOException | RuntimeException e) {
                result = e.getMessage() == null ? e.toString() : e.getMessage();
            } finally {
                Arrays.fill(p, '\0');
            }
            Object r = result;
            SwingUtilities.invokeLater(() -> {
                if (r instanceof HostInvitations.Handout h) {
                    current = h;
                    password.setText("");
                    again.setText("");
                    mail.setText(h.mail());
                    mail.setCaretPosition(0);
                    status.setText(texts.get("invite.made", UNTIL.format(h.invitation().expires()),
                            ZoneId.systemDefault().getId()));
                } else {
                    status.setText(texts.get("invite.failed", Texts.plain(String.valueOf(r))));
                }
                enable(true);
            });
        });
    }

    private void copyMail() {
        if (current != null) {
            Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(current.mail()), null);
            status.setText(texts.get("invite.copied"));
        }
    }

    private void saveFile() {
        HostInvitations.Handout h = current;
        if (h == null) {
            return;
        }
        Path proposed = Path.of(System.getProperty("user.home", "."), "Invitation"
                + org.tandemrc.support.invitation.Invitation.FILE_SUFFIX);
        CompletableFuture<Optional<Path>> where = new CompletableFuture<>();
        SaveDialog.show(proposed, texts.get("invite.save.title"), texts, scale, where);
        where.join().ifPresent(p -> {
            try {
                Files.writeString(p, h.fileText(), StandardCharsets.UTF_8);
                status.setText(texts.get("invite.saved", Texts.peer(p.toString())));
            } catch (IOException e) {
                status.setText(texts.get("invite.failed", Texts.plain(String.valueOf(e.getMessage()))));
            }
        });
    }

    /** Expire ({@code expire}) or Delete the invitation made last. */
    private void end(boolean expireIt) {
        HostInvitations service = invitations.get();
        HostInvitations.Handout h = current;
        if (service == null || h == null) {
            return;
        }
        String id = h.invitation().id();
        enable(false);
        worker.execute(() -> {
            String said;
            try {
                boolean done = expireIt ? service.expire(id) : service.delete(id);
                said = texts.get(done ? (expireIt ? "invite.expired" : "invite.deleted") : "invite.gone");
            } catch (IOException | RuntimeException e) {
                said = texts.get("invite.failed", Texts.plain(String.valueOf(e.getMessage())));
            }
            String text = said;
            SwingUtilities.invokeLater(() -> {
                current = expireIt ? closed(h) : null;
                if (!expireIt) {
                    mail.setText("");
                }
                status.setText(text);
                enable(true);
            });
        });
    }

    /** The invitation as it is once expired: Delete still applies, the rest not. */
    private static HostInvitations.Handout closed(HostInvitations.Handout h) {
        HostInvitations.Summary s = h.invitation();
        return new HostInvitations.Handout(new HostInvitations.Summary(s.id(), s.role(), s.created(), s.expires(),
                "expired", false, s.wrongPasswords()), h.fileText(), h.mail());
    }
}
