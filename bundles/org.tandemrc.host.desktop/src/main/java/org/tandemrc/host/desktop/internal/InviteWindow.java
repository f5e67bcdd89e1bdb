package org.tandemrc.host.desktop.internal;

import java.awt.BorderLayout;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.GridBagLayout;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
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
        frame = Fields.frame(texts, "invite.title");
        JPanel content = Fields.content(scale, new JLabel(texts.get("invite.heading")));

        Font plain = scale.font(Font.PLAIN, 13);
        JPanel fields = new JPanel(new GridBagLayout());
        int row = 0;
        row = Fields.add(texts, fields, row, "invite.password", password, plain, scale);
        row = Fields.add(texts, fields, row, "invite.again", again, plain, scale);
        row = Fields.add(texts, fields, row, "invite.minutes", minutes, plain, scale);
        for (JTextArea a : new JTextArea[] {status, mail}) {
            a.setEditable(false);
            a.setLineWrap(true);
            a.setWrapStyleWord(true);
            a.setFocusTraversalKeys(java.awt.KeyboardFocusManager.FORWARD_TRAVERSAL_KEYS, null);
            a.setFocusTraversalKeys(java.awt.KeyboardFocusManager.BACKWARD_TRAVERSAL_KEYS, null);
        }
        status.setOpaque(false);
        status.setText(texts.get("invite.none"));
        row = Fields.add(texts, fields, row, "invite.status", status, plain, scale);
        JScrollPane mailPane = new JScrollPane(mail);
        // Wrapped text has no height of its own before it has a width: the mail gets room for its lines.
        java.awt.Dimension room = new java.awt.Dimension(scale.px(580), scale.px(150));
        mailPane.setPreferredSize(room);
        mailPane.setMinimumSize(room);
        status.setMinimumSize(new java.awt.Dimension(scale.px(580), scale.px(40)));
        status.setPreferredSize(status.getMinimumSize());
        Fields.add(texts, fields, row, "invite.mail", mailPane, plain, scale);
        content.add(fields, BorderLayout.CENTER);

        create = Buttons.of(texts, "invite.create", plain, this::createInvitation);
        save = Buttons.of(texts, "invite.save", plain, this::saveFile);
        copy = Buttons.of(texts, "invite.copy", plain, this::copyMail);
        expire = Buttons.of(texts, "invite.expire", plain, () -> end(true));
        delete = Buttons.of(texts, "invite.delete", plain, () -> end(false));
        JButton close = Buttons.of(texts, "invite.close", plain, this::hide);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT, scale.px(8), 0));
        for (JButton b : new JButton[] {create, save, copy, expire, delete, close}) {
            buttons.add(b);
        }
        content.add(buttons, BorderLayout.SOUTH);
        again.addActionListener(e -> createInvitation());
        Fields.finish(frame, content, this::hide);
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
