package org.tandemrc.host.support.internal;

import java.awt.BorderLayout;
import java.awt.CardLayout;
import java.awt.Color;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.Toolkit;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.time.Instant;
import java.util.function.BiConsumer;

import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;

/**
 * The window "Tandem remote support": first the code (prefilled when the link knew it) and Connect;
 * once joined, who helps and until when, and a big End support; at the end, why, briefly. Closing it is
 * End support (or quitting, before the code was accepted).
 */
final class SupportWindow implements Face {

    static final String TITLE = "Tandem remote support";

    private final JFrame frame = new JFrame(TITLE);
    private final CardLayout cards = new CardLayout();
    private final JPanel deck = new JPanel(cards);
    private final JTextField code = new JTextField(11);
    private final JTextField manager = new JTextField(22);
    private final JLabel problem = new JLabel(" ");
    private final JButton connect = new JButton("Connect");
    private final JLabel joined = new JLabel();
    private final JLabel ends = new JLabel();
    private final JLabel endedText = new JLabel();
    private final float scale;
    private volatile boolean isJoined;

    /**
     * Opens the window; throws when no desktop answers.
     *
     * @param connectWith the code typed and the manager (typed, or the preset's)
     * @param endSupport  End support, or closing the window once joined
     * @param quit        closing the window before joining
     */
    SupportWindow(Preset preset, BiConsumer<String, String> connectWith, Runnable endSupport, Runnable quit)
            throws Exception {
        if (GraphicsEnvironment.isHeadless()) {
            throw new java.awt.HeadlessException();
        }
        scale = Math.max(1f, Math.min(4f, Toolkit.getDefaultToolkit().getScreenResolution() / 96f));
        SwingUtilities.invokeAndWait(() -> build(preset, connectWith, endSupport, quit));
    }

    private Font font(int style, int points) {
        return new Font(Font.SANS_SERIF, style, Math.round(points * scale));
    }

    private void build(Preset preset, BiConsumer<String, String> connectWith, Runnable endSupport, Runnable quit) {
        int gap = Math.round(16 * scale);
        JPanel ask = column(gap);
        ask.add(label("Type the 9-digit code your supporter gave you.", font(Font.PLAIN, 14)));
        ask.add(Box.createVerticalStrut(gap / 2));
        code.setText(preset.shownCode());
        code.setFont(font(Font.BOLD, 22));
        code.setName("code");
        ask.add(left(code));
        if (preset.manager() == null) {
            ask.add(Box.createVerticalStrut(gap / 2));
            ask.add(label("Your supporter's Connection Manager (address):", font(Font.PLAIN, 13)));
            manager.setFont(font(Font.PLAIN, 14));
            ask.add(left(manager));
        }
        problem.setForeground(new Color(0xb00020));
        problem.setFont(font(Font.PLAIN, 13));
        ask.add(Box.createVerticalStrut(gap / 2));
        ask.add(left(problem));
        connect.setFont(font(Font.BOLD, 15));
        connect.setMnemonic(java.awt.event.KeyEvent.VK_C);
        connect.addActionListener(e -> {
            problem.setText(" ");
            connectWith.accept(code.getText(), preset.manager() != null ? preset.manager() : manager.getText());
        });
        ask.add(Box.createVerticalStrut(gap / 2));
        ask.add(left(connect));

        JPanel helped = column(gap);
        joined.setFont(font(Font.PLAIN, 15));
        ends.setFont(font(Font.PLAIN, 13));
        helped.add(left(joined));
        helped.add(Box.createVerticalStrut(gap / 2));
        helped.add(left(ends));
        helped.add(Box.createVerticalStrut(gap));
        JButton end = new JButton("End support");
        end.setFont(font(Font.BOLD, 22));
        end.setBackground(new Color(0xc62828));
        end.setForeground(Color.WHITE);
        end.setMargin(new java.awt.Insets(gap / 2, gap * 2, gap / 2, gap * 2));
        end.setMnemonic(java.awt.event.KeyEvent.VK_E);
        end.addActionListener(e -> endSupport.run());
        helped.add(left(end));

        JPanel over = column(gap);
        endedText.setFont(font(Font.PLAIN, 15));
        over.add(left(endedText));

        deck.add(ask, "ask");
        deck.add(helped, "joined");
        deck.add(over, "ended");
        JLabel title = new JLabel(TITLE);
        title.setFont(font(Font.BOLD, 18));
        title.setBorder(BorderFactory.createEmptyBorder(gap, gap, 0, gap));
        frame.getContentPane().add(title, BorderLayout.NORTH);
        frame.getContentPane().add(deck, BorderLayout.CENTER);
        frame.getRootPane().setDefaultButton(connect);
        frame.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                if (isJoined) {
                    endSupport.run();
                } else {
                    quit.run();
                }
            }
        });
        frame.setAlwaysOnTop(true);
        frame.pack();
        frame.setMinimumSize(new java.awt.Dimension(Math.round(520 * scale), frame.getHeight()));
        frame.setLocationRelativeTo(null);
        frame.setVisible(true);
        code.requestFocusInWindow();
    }

    private static JPanel column(int gap) {
        JPanel p = new JPanel();
        p.setLayout(new BoxLayout(p, BoxLayout.Y_AXIS));
        p.setBorder(BorderFactory.createEmptyBorder(gap, gap, gap, gap));
        return p;
    }

    private static JComponent label(String text, Font font) {
        JLabel l = new JLabel(text);
        l.setFont(font);
        return left(l);
    }

    private static <T extends JComponent> T left(T c) {
        c.setAlignmentX(JComponent.LEFT_ALIGNMENT);
        if (c instanceof JTextField) {
            c.setMaximumSize(c.getPreferredSize());
        }
        return c;
    }

    private static String html(String text) {
        return "<html><div style='width:380px'>" + text.replace("&", "&amp;").replace("<", "&lt;") + "</div></html>";
    }

    private void later(Runnable r) {
        SwingUtilities.invokeLater(() -> {
            r.run();
            frame.pack();
        });
    }

    @Override
    public void connecting() {
        later(() -> {
            connect.setEnabled(false);
            problem.setText("Connecting…");
        });
    }

    @Override
    public void refused(String why) {
        later(() -> {
            problem.setText(html(why));
            connect.setEnabled(true);
            code.requestFocusInWindow();
            code.selectAll();
        });
    }

    @Override
    public void joined(String supporter, String account, Instant until) {
        isJoined = true;
        later(() -> {
            joined.setText(html(TemporaryHost.joinedText(supporter, account)));
            ends.setText(html("The session ends " + TemporaryHost.when(until) + ". If you refuse when you are first"
                    + " asked to let " + supporter + " see your screen, the support session ends."));
            frame.getRootPane().setDefaultButton(null);
            cards.show(deck, "joined");
        });
    }

    @Override
    public void ended(String text) {
        isJoined = false;
        later(() -> {
            endedText.setText(html(text));
            cards.show(deck, "ended");
        });
    }

    @Override
    public void close() {
        SwingUtilities.invokeLater(frame::dispose);
    }
}
