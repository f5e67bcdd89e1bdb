package org.tandemrc.host.desktop.internal;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JScrollPane;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;
import javax.swing.Timer;

import org.tandemrc.api.node.Command;

/**
 * <em>Ask for help</em>: the help service and where it is (blank: the Host's defaults), the problem, Send
 * request and Cancel request, and the request's status, read again every 2 s while the window shows. Enter
 * in a field sends; Esc or Close hides it. Event dispatch thread only; the command runs on {@code worker}.
 */
final class HelpWindow {

    private final JFrame frame;
    private final Texts texts;
    private final Supplier<Command> help;
    private final ExecutorService worker;
    private final JTextField provider = new JTextField(24);
    private final JTextField address = new JTextField(24);
    private final JTextArea problem = new JTextArea(4, 36);
    private final JTextArea status = new JTextArea(3, 36);
    private final JButton send;
    private final JButton cancel;
    private final Timer refresh;
    /** A request or cancel is on its way: the status is not read over it. */
    private boolean busy;

    /** @param invite opens Invite a supporter, the other way to get help */
    HelpWindow(Texts texts, Scale scale, Supplier<Command> help, ExecutorService worker, Runnable invite) {
        this.texts = texts;
        this.help = help;
        this.worker = worker;
        Form form = new Form(texts, scale, "help");
        frame = form.frame;
        form.row("help.provider", provider);
        form.row("help.address", address);
        Form.wrapped(problem, true);
        form.row("help.problem", new JScrollPane(problem));
        Form.wrapped(status, false);
        status.setOpaque(false);
        status.setText(texts.get("help.none"));
        form.row("help.status", status);
        send = form.button("help.send", this::sendRequest);
        cancel = form.button("help.cancel", this::cancelRequest);
        provider.addActionListener(e -> sendRequest());
        address.addActionListener(e -> sendRequest());
        form.finish(List.of(form.button("invite.open", invite), send, cancel, form.button("help.close", this::hide)),
                this::hide);
        refresh = new Timer(2000, e -> readStatus());
    }


    void show() {
        if (!frame.isVisible()) {
            frame.setLocationRelativeTo(null);
            frame.setVisible(true);
            refresh.start();
            readStatus();
        }
        frame.toFront();
        provider.requestFocus();
    }

    void hide() {
        refresh.stop();
        frame.setVisible(false);
    }

    void dispose() {
        refresh.stop();
        frame.dispose();
    }

    private void sendRequest() {
        run(HelpForm.request(provider.getText(), address.getText(), problem.getText()), texts.get("help.sending"));
    }

    private void cancelRequest() {
        run(List.of("cancel"), texts.get("help.canceling"));
    }

    private void readStatus() {
        if (!busy) {
            run(List.of("status"), null);
        }
    }

    /** Runs {@code tandem admin help ARGS} on the worker and shows what it said. */
    private void run(List<String> args, String meanwhile) {
        Command command = help.get();
        if (command == null) {
            status.setText(texts.get("help.unavailable"));
            return;
        }
        boolean quiet = meanwhile == null;
        if (!quiet) {
            busy = true;
            send.setEnabled(false);
            cancel.setEnabled(false);
            status.setText(meanwhile);
        }
        worker.execute(() -> {
            HelpForm.Answer a = HelpForm.run(command, args);
            SwingUtilities.invokeLater(() -> {
                if (!quiet) {
                    busy = false;
                    send.setEnabled(true);
                    cancel.setEnabled(true);
                } else if (busy) {
                    return;
                }
                // The provider's reasons are a peer's text: shown as characters in a text area.
                status.setText(Texts.plain(a.ok() ? a.text() : texts.get("help.failed", a.text())));
            });
        });
    }
}
