package org.tandemrc.host.desktop.internal;

import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.GridLayout;
import java.awt.Insets;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.accessibility.Accessible;
import javax.accessibility.AccessibleContext;
import javax.accessibility.AccessibleRole;
import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.KeyStroke;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import javax.swing.WindowConstants;

import org.tandemrc.api.consent.ConsentDecision;
import org.tandemrc.api.consent.ConsentRequest;

/**
 * One question on the desktop: who asks (name, address, role), what the role allows, what is asked,
 * Allow / Deny, and the seconds left before it counts as refused. Esc denies, closing the window denies,
 * Enter presses the focused button (Deny at first, so a stray Enter refuses), Alt+A and Alt+D press
 * the buttons. Created and touched on the event dispatch thread only.
 */
final class ConsentWindow {

    private final JFrame frame;
    private final CompletableFuture<ConsentDecision> answer;
    private final long deadlineNanos;
    private final Texts texts;
    private final JLabel countdown = new JLabel();
    private final JProgressBar bar;
    private final Timer ticker;
    private final String countdownKey;

    ConsentWindow(ConsentRequest request, long deadlineNanos, CompletableFuture<ConsentDecision> answer, Texts texts,
            Scale scale) {
        this.answer = answer;
        this.deadlineNanos = deadlineNanos;
        this.texts = texts;
        String guest = Texts.peer(request.guestName());
        String kind = request.kind().name();
        frame = new JFrame(texts.get("product") + ": " + texts.get("ask." + kind + ".title", guest));
        frame.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                decide(ConsentDecision.DENIED);
            }
        });

        JPanel content = new JPanel(new BorderLayout(0, scale.px(12)));
        int gap = scale.px(16);
        content.setBorder(BorderFactory.createEmptyBorder(gap, gap, gap, gap));
        JLabel heading = new JLabel(texts.get("ask." + kind + ".heading", guest));
        heading.setFont(scale.font(Font.BOLD, 16));
        content.add(heading, BorderLayout.NORTH);

        JPanel facts = new JPanel(new GridBagLayout());
        Font plain = scale.font(Font.PLAIN, 13);
        Font bold = scale.font(Font.BOLD, 13);
        int row = 0;
        row = fact(facts, row, texts.get("field.guest"), guest, plain, bold, scale);
        row = fact(facts, row, texts.get("field.address"),
                request.address().isEmpty() ? texts.get("address.unknown") : Texts.peer(request.address()), plain, bold, scale);
        row = fact(facts, row, texts.get("field.role"),
                request.role() == null ? texts.get("role.unknown") : Texts.peer(request.role().name()), plain, bold, scale);
        if (request.role() != null) {
            row = fact(facts, row, texts.get("field.allows"), texts.allows(request.role().privileges()), plain, bold,
                    scale);
        }
        if (!request.detail().isEmpty()) {
            fact(facts, row, texts.get("field.request"), guest + " " + Texts.peer(request.detail()), plain, bold, scale);
        }
        content.add(facts, BorderLayout.CENTER);

        long totalSeconds = Math.max(1, request.timeout().toSeconds());
        bar = new JProgressBar(0, (int) Math.min(Integer.MAX_VALUE, totalSeconds));
        countdown.setFont(plain);
        // A kind may word its buttons and countdown itself (Save…/Cancel for a file), else Allow/Deny.
        countdownKey = texts.either("ask." + kind + ".countdown", "countdown");
        JButton allow = button(texts.get(texts.either("ask." + kind + ".allow", "button.allow")),
                texts.mnemonic(texts.either("ask." + kind + ".allow.mnemonic", "button.allow.mnemonic")), plain,
                ConsentDecision.GRANTED);
        JButton deny = button(texts.get(texts.either("ask." + kind + ".deny", "button.deny")),
                texts.mnemonic(texts.either("ask." + kind + ".deny.mnemonic", "button.deny.mnemonic")), plain,
                ConsentDecision.DENIED);
        JPanel buttons = new JPanel(new java.awt.FlowLayout(java.awt.FlowLayout.RIGHT, scale.px(8), 0));
        buttons.add(allow);
        buttons.add(deny);
        JPanel bottom = new JPanel(new BorderLayout(0, scale.px(8)));
        bottom.add(countdown, BorderLayout.NORTH);
        bottom.add(bar, BorderLayout.CENTER);
        bottom.add(buttons, BorderLayout.SOUTH);
        content.add(bottom, BorderLayout.SOUTH);

        frame.getRootPane().registerKeyboardAction(e -> decide(ConsentDecision.DENIED),
                KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), JComponent.WHEN_IN_FOCUSED_WINDOW);
        frame.getRootPane().setDefaultButton(deny);
        frame.setContentPane(content);
        frame.setMinimumSize(new Dimension(scale.px(460), 0));
        frame.pack();
        frame.setLocationRelativeTo(null);
        frame.setAlwaysOnTop(true);
        ticker = new Timer(250, e -> tick());
        tick();
        frame.setVisible(true);
        // The frame's borders are known only once shown (a window manager chooses them, or none is
        // there): fit the content again so no line is cut.
        frame.pack();
        frame.setLocationRelativeTo(null);
        frame.toFront();
        // Without a window manager nobody hands the new window the keyboard: ask for it.
        deny.requestFocus();
        ticker.start();
    }

    private int fact(JPanel facts, int row, String label, String value, Font plain, Font bold, Scale scale) {
        return fact(facts, row, label, List.of(value), plain, bold, scale);
    }

    /** One labelled fact; each of {@code lines} on its own line (a role's privileges, one per line). */
    private int fact(JPanel facts, int row, String label, List<String> lines, Font plain, Font bold, Scale scale) {
        GridBagConstraints c = new GridBagConstraints();
        c.gridy = row;
        c.anchor = GridBagConstraints.FIRST_LINE_START;
        c.insets = new Insets(scale.px(2), 0, scale.px(2), scale.px(12));
        JLabel name = new JLabel(label);
        name.setFont(plain);
        facts.add(name, c);
        JPanel values = new JPanel(new GridLayout(0, 1));
        for (String line : lines) {
            JLabel text = new JLabel(line);
            text.setFont(bold);
            name.setLabelFor(text);
            values.add(text);
        }
        c.gridx = 1;
        c.weightx = 1;
        c.fill = GridBagConstraints.HORIZONTAL;
        c.insets = new Insets(scale.px(2), 0, scale.px(2), 0);
        facts.add(values, c);
        return row + 1;
    }

    private JButton button(String text, int mnemonic, Font font, ConsentDecision decision) {
        JButton b = new JButton(new AbstractAction(text) {
            @Override
            public void actionPerformed(java.awt.event.ActionEvent e) {
                decide(decision);
            }
        });
        b.setMnemonic(mnemonic);
        b.setFont(font);
        return b;
    }

    private void tick() {
        long left = Math.max(0, (deadlineNanos - System.nanoTime() + 999_999_999L) / 1_000_000_000L);
        if (deadlineNanos - System.nanoTime() <= 0) {
            decide(ConsentDecision.TIMED_OUT);
            return;
        }
        countdown.setText(texts.get(countdownKey, left));
        bar.setValue((int) Math.min(bar.getMaximum(), left));
    }

    /** Answers once and closes; a later answer (a timer racing a click) changes nothing. */
    void decide(ConsentDecision decision) {
        answer.complete(decision);
        close();
    }

    /** Closes without answering (the answer came from elsewhere). */
    void close() {
        if (!SwingUtilities.isEventDispatchThread()) {
            SwingUtilities.invokeLater(this::close);
            return;
        }
        ticker.stop();
        frame.dispose();
    }

    String title() {
        return frame.getTitle();
    }

    /**
     * What a screen reader finds in the window, in order: its title, then the name of every label and
     * button. The Host's log keeps it, so what the person was asked can be checked afterwards.
     */
    String readAloud() {
        StringBuilder b = new StringBuilder(frame.getTitle());
        read(frame.getAccessibleContext(), b, 0);
        return b.toString();
    }

    private static void read(AccessibleContext context, StringBuilder b, int depth) {
        if (context == null || depth > 20) {
            return;
        }
        AccessibleRole role = context.getAccessibleRole();
        if ((role == AccessibleRole.LABEL || role == AccessibleRole.PUSH_BUTTON) && context.getAccessibleName() != null) {
            b.append(" | ").append(context.getAccessibleName());
        }
        for (int i = 0; i < context.getAccessibleChildrenCount(); i++) {
            Accessible child = context.getAccessibleChild(i);
            if (child != null) {
                read(child.getAccessibleContext(), b, depth + 1);
            }
        }
    }
}
