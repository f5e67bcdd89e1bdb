package org.tandemrc.host.desktop.internal;

import java.awt.Dimension;
import java.awt.Font;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JScrollPane;
import javax.swing.JTable;
import javax.swing.ListSelectionModel;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import javax.swing.table.AbstractTableModel;

import org.tandemrc.api.host.ConnectedGuest;
import org.tandemrc.api.host.ConnectedGuests;
import org.tandemrc.api.security.Privilege;

/**
 * The Guests connected now: name, role, address, since when, what they do; Chat opens a chat with the
 * selected Guest (or brings back the one that goes on), Disconnect ends its connection, Disconnect all every one. Follows the Host's list every second while
 * shown. Esc or Close hides it. Event dispatch thread only.
 */
final class StatusWindow {

    private static final DateTimeFormatter SINCE = DateTimeFormatter.ofLocalizedTime(FormatStyle.MEDIUM)
            .withZone(ZoneId.systemDefault());

    private final JFrame frame;
    private final ConnectedGuests guests;
    private final Texts texts;
    private final Rows rows;
    private final JTable table;
    private final JLabel heading;
    private final JButton disconnect;
    private final JButton disconnectAll;
    private final JButton chat;
    private final Timer refresh;
    private final Scale scale;
    /** Why the last Chat could not start, said in the heading until another Guest is selected; or null. */
    private String chatProblem;

    /**
     * @param askForHelp opens Ask for help; null: this Host has no such form and shows no button
     * @param invite     opens Invite a supporter; null: no button
     */
    StatusWindow(ConnectedGuests guests, Texts texts, Scale scale, Runnable askForHelp, Runnable invite) {
        this.guests = guests;
        this.texts = texts;
        this.scale = scale;
        rows = new Rows();
        table = new JTable(rows);
        Form form = new Form(texts, scale, "status");
        frame = form.frame;
        heading = form.heading;
        Font plain = form.plain;
        table.setFont(plain);
        table.getTableHeader().setFont(scale.font(Font.BOLD, 13));
        table.setRowHeight(scale.px(22));
        table.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        table.setFillsViewportHeight(true);
        // Tab leaves the table for the buttons instead of moving between its cells.
        table.setFocusTraversalKeys(java.awt.KeyboardFocusManager.FORWARD_TRAVERSAL_KEYS, null);
        table.setFocusTraversalKeys(java.awt.KeyboardFocusManager.BACKWARD_TRAVERSAL_KEYS, null);
        table.getAccessibleContext().setAccessibleName(texts.get("status.heading"));
        int[] widths = {130, 150, 140, 100, 280};
        for (int i = 0; i < widths.length; i++) {
            table.getColumnModel().getColumn(i).setPreferredWidth(scale.px(widths[i]));
        }
        JScrollPane scroll = new JScrollPane(table);
        scroll.setPreferredSize(new Dimension(scale.px(800), scale.px(160)));
        form.body(scroll);

        disconnect = form.button("status.disconnect", this::disconnectSelected);
        disconnectAll = form.button("status.disconnect.all", this::disconnectAll);
        JButton close = form.button("status.close", this::hide);
        chat = form.button("status.chat", this::chatWithSelected);
        List<JButton> buttons = new ArrayList<>();
        if (askForHelp != null) {
            buttons.add(form.button("help.open", askForHelp));
        }
        if (invite != null) {
            buttons.add(form.button("invite.open", invite));
        }
        buttons.addAll(List.of(chat, disconnect, disconnectAll, close));
        table.getSelectionModel().addListSelectionListener(e -> {
            chatProblem = null;
            enable();
        });

        form.finish(buttons, this::hide);
        refresh = new Timer(1000, e -> update());
    }

    /** Shows the window; it takes the keyboard only when {@code focus} (the person asked for it). */
    void show(boolean focus) {
        update();
        if (!frame.isVisible()) {
            frame.setAutoRequestFocus(focus);
            if (focus) {
                frame.setLocationRelativeTo(null);
            } else {
                // Shown because a Guest connected: in the top right corner, off whatever the person works on,
                // below the control bar's strip at the top centre (the notices have the bottom right).
                java.awt.Rectangle screen = java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment()
                        .getMaximumWindowBounds();
                frame.setLocation(screen.x + screen.width - frame.getWidth() - scale.px(12), screen.y + scale.px(64));
            }
            frame.setVisible(true);
            refresh.start();
        }
        if (focus) {
            frame.toFront();
            table.requestFocus();
        }
    }

    void hide() {
        refresh.stop();
        frame.setVisible(false);
    }

    void dispose() {
        refresh.stop();
        frame.dispose();
    }

    boolean isShowing() {
        return frame.isVisible();
    }

    /** Reads the Host's list again, keeping the selected Guest selected. */
    void update() {
        List<ConnectedGuest> now = guests.list();
        String selected = selectedId();
        rows.set(now);
        int row = -1;
        for (int i = 0; i < now.size(); i++) {
            if (now.get(i).id().equals(selected)) {
                row = i;
            }
        }
        if (row < 0 && !now.isEmpty()) {
            row = 0; // someone is always selected, so Disconnect works from the keyboard at once
        }
        if (row >= 0) {
            table.setRowSelectionInterval(row, row);
        }
        heading.setText(chatProblem != null ? chatProblem : texts.get(now.isEmpty() ? "status.none" : "status.heading"));
        enable();
    }

    private void enable() {
        disconnect.setEnabled(selectedId() != null);
        disconnectAll.setEnabled(rows.size() > 0);
        chat.setEnabled(selected().filter(g -> g.role().privileges().contains(Privilege.CHAT)).isPresent());
    }

    private java.util.Optional<ConnectedGuest> selected() {
        int row = table.getSelectedRow();
        return row >= 0 && row < rows.size() ? java.util.Optional.of(rows.get(row)) : java.util.Optional.empty();
    }

    /**
     * Brings back the selected Guest's chat window when a chat goes on (hidden or behind other windows), or
     * opens a new chat with it; its window then shows as for a chat the Guest opened, with the keyboard. A Guest
     * whose program takes no chat from the Host refuses it, and the heading says why.
     */
    private void chatWithSelected() {
        java.util.Optional<ConnectedGuest> g = selected();
        if (g.isEmpty()) {
            return;
        }
        String name = g.get().name();
        chatProblem = null;
        java.util.Optional<ChatWindow> going = Chats.of(name).filter(w -> !w.isOver());
        if (going.isPresent()) {
            going.get().bringBack(true);
            return;
        }
        guests.chat(g.get().id()).whenComplete((ok, failure) -> SwingUtilities.invokeLater(() -> {
            if (failure == null) {
                // The chat's window was made before this answer arrived (on this thread, in order).
                Chats.of(name).ifPresent(w -> w.bringBack(true));
                return;
            }
            Throwable why = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            chatProblem = texts.get("status.chat.failed", Texts.peer(name), Texts.peer(String.valueOf(why.getMessage())));
            heading.setText(chatProblem);
            System.getLogger("org.tandemrc.host.desktop").log(System.Logger.Level.INFO, "on the desktop: {0}", chatProblem);
        }));
    }

    private String selectedId() {
        int row = table.getSelectedRow();
        return row >= 0 && row < rows.size() ? rows.get(row).id() : null;
    }

    private void disconnectSelected() {
        String id = selectedId();
        if (id != null) {
            guests.disconnect(id, texts.get("status.reason"));
        }
        update();
    }

    private void disconnectAll() {
        guests.disconnectAll(texts.get("status.reason"));
        update();
    }

    /** The table's rows: one connected Guest each. */
    private final class Rows extends AbstractTableModel {
        private List<ConnectedGuest> guests = List.of();
        private final String[] columns = {texts.get("status.column.guest"), texts.get("status.column.role"),
            texts.get("status.column.address"), texts.get("status.column.since"), texts.get("status.column.doing")};

        void set(List<ConnectedGuest> now) {
            if (!Objects.equals(now, guests)) {
                guests = new ArrayList<>(now);
                fireTableDataChanged();
            }
        }

        int size() {
            return guests.size();
        }

        ConnectedGuest get(int row) {
            return guests.get(row);
        }

        @Override
        public int getRowCount() {
            return guests.size();
        }

        @Override
        public int getColumnCount() {
            return columns.length;
        }

        @Override
        public String getColumnName(int column) {
            return columns[column];
        }

        @Override
        public Object getValueAt(int row, int column) {
            ConnectedGuest g = guests.get(row);
            return switch (column) {
                case 0 -> Texts.peer(g.name());
                case 1 -> Texts.peer(g.role().name());
                case 2 -> Texts.peer(g.address());
                case 3 -> SINCE.format(g.since());
                default -> Doing.of(g.sessions(), texts);
            };
        }
    }
}
