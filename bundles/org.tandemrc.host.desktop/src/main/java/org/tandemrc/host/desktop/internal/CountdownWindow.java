package org.tandemrc.host.desktop.internal;

import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;
import java.util.concurrent.CompletableFuture;

import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.Timer;
import javax.swing.WindowConstants;

import org.tandemrc.api.countdown.Countdown;
import org.tandemrc.api.countdown.CountdownNotice;

/**
 * A restart, shut down, log off or lock coming: who asked, what happens, the time left (counting down each
 * second), the Guest's message as plain text, and Postpone where the Guest allowed it (the default button,
 * so a stray Enter delays rather than hastens). Closing the window does not stop the countdown: it has no
 * close action. Event dispatch thread only.
 */
final class CountdownWindow {

    private final JFrame frame;
    private final JLabel left;
    private final Timer tick;
    private final Countdown countdown;
    private final long deadline;
    private final Texts texts;

    CountdownWindow(Countdown countdown, long deadline, CompletableFuture<CountdownNotice.Answer> answer, Texts texts,
            Scale scale) {
        this.countdown = countdown;
        this.deadline = deadline;
        this.texts = texts;
        frame = new JFrame(texts.get("product") + ": " + countdown.what());
        frame.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        JPanel content = new JPanel(new BorderLayout(0, scale.px(10)));
        int gap = scale.px(16);
        content.setBorder(BorderFactory.createEmptyBorder(gap, gap, gap, gap));
        JPanel top = new JPanel(new BorderLayout(0, scale.px(6)));
        JLabel heading = new JLabel(texts.get("countdown.heading", Texts.peer(countdown.guestName())));
        heading.setFont(scale.font(Font.PLAIN, 13));
        top.add(heading, BorderLayout.NORTH);
        left = new JLabel(leftText());
        left.setFont(scale.font(Font.BOLD, 16));
        top.add(left, BorderLayout.CENTER);
        content.add(top, BorderLayout.NORTH);
        JTextArea body = MessagePanel.plainText(countdown.message(), scale);
        JScrollPane scroll = new JScrollPane(body);
        scroll.setBorder(BorderFactory.createEmptyBorder());
        scroll.setPreferredSize(new Dimension(scale.px(460), scale.px(20 * Math.min(8, Math.max(2, body.getLineCount())))));
        content.add(scroll, BorderLayout.CENTER);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT, 0, 0));
        if (countdown.postponable()) {
            JLabel may = new JLabel(texts.get("countdown.may", countdown.postpone().toMinutes()) + "  ");
            may.setFont(scale.font(Font.PLAIN, 13));
            buttons.add(may);
            JButton postpone = Buttons.of(texts, "countdown.postpone", scale.font(Font.PLAIN, 13),
                    () -> answer.complete(CountdownNotice.Answer.POSTPONED));
            buttons.add(postpone);
            frame.getRootPane().setDefaultButton(postpone);
        }
        content.add(buttons, BorderLayout.SOUTH);
        frame.setContentPane(content);
        tick = new Timer(1000, e -> {
            left.setText(leftText());
            if (System.nanoTime() >= deadline) {
                answer.complete(CountdownNotice.Answer.ELAPSED);
            }
        });
        tick.start();
        frame.setMinimumSize(new Dimension(scale.px(420), 0));
        frame.setAlwaysOnTop(true);
        frame.pack();
        frame.setLocationRelativeTo(null);
        frame.setVisible(true);
    }

    private String leftText() {
        long s = Math.max(0, (deadline - System.nanoTime() + 999_999_999L) / 1_000_000_000L);
        return texts.get("countdown.left", countdown.what(), String.format("%d:%02d", s / 60, s % 60));
    }

    String title() {
        return frame.getTitle();
    }

    void close() {
        tick.stop();
        frame.dispose();
    }
}
