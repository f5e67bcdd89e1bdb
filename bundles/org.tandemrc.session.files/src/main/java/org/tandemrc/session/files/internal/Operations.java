package org.tandemrc.session.files.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.tandemrc.api.files.FileEntry;
import org.tandemrc.api.files.FileException;
import org.tandemrc.api.files.TransferListener;
import org.tandemrc.api.files.TransferOptions;
import org.tandemrc.api.files.TransferResult;

/**
 * Copy, move, synchronize and clone between two trees, with the options' rules for what exists,
 * is read-only or hidden, and what to do on an error. First the work is planned (so the listener
 * hears the totals), then each file is transferred through {@link Transfers}.
 */
final class Operations {

    /** Moves one file's data between two trees; returns the bytes that crossed the link. */
    interface Transfers {
        long transfer(Tree from, String fromPath, Tree to, String toPath, boolean delta, FileData progress)
                throws IOException;
    }

    private final Transfers transfers;
    private final TransferOptions options;
    private final TransferListener listener;

    private int files;
    private int skipped;
    private int deleted;
    private final List<String> failed = new ArrayList<>();
    private long bytes;
    private long wireBytes;
    private boolean stopped;
    /** Reasons the listener answered {@link TransferListener.Answer#ALL} to: not asked again. */
    private final java.util.Set<TransferOptions.Confirm> allowed = java.util.EnumSet.noneOf(TransferOptions.Confirm.class);

    Operations(Transfers transfers, TransferOptions options, TransferListener listener) {
        this.transfers = transfers;
        this.options = options;
        this.listener = listener == null ? new TransferListener() {
        } : listener;
    }

    /** One planned step. */
    private record Step(Kind kind, Tree from, String fromPath, FileEntry entry, Tree to, String toPath,
            String display) {
        enum Kind {
            FOLDER, FILE, LINK, DELETE
        }
    }

    private final List<Step> plan = new ArrayList<>();
    /** Sources that arrived, for move to delete. */
    private final java.util.Set<String> moved = new java.util.HashSet<>();

    // ---------------------------------------------------------------- copy and move

    TransferResult copy(Tree src, String srcPath, Tree dst, String dstPath, boolean move) throws IOException,
            InterruptedException {
        FileEntry top = src.stat(srcPath).orElseThrow(() -> new FileException(srcPath + ": no such file or folder"));
        Optional<FileEntry> there = dst.stat(dstPath);
        // Into an existing folder, else as the new name.
        String target = there.isPresent() && there.get().kind() == FileEntry.Kind.FOLDER
                ? dst.child(dstPath, src.name(srcPath)) : dstPath;
        planCopy(src, srcPath, top, dst, target, src.name(srcPath), true);
        run(false);
        if (move && !stopped) {
            removeMoved(src, srcPath, top);
        }
        return result();
    }

    private void planCopy(Tree src, String path, FileEntry e, Tree dst, String target, String display, boolean top)
            throws IOException {
        if (!options.hidden() && e.hidden() && !top) {
            return;
        }
        switch (e.kind()) {
            case FILE -> plan.add(new Step(Step.Kind.FILE, src, path, e, dst, target, display));
            case LINK -> plan.add(new Step(Step.Kind.LINK, src, path, e, dst, target, display));
            case FOLDER -> {
                plan.add(new Step(Step.Kind.FOLDER, src, path, e, dst, target, display));
                for (FileEntry child : src.list(path)) {
                    if (child.kind() == FileEntry.Kind.FOLDER && !options.subfolders()) {
                        continue;
                    }
                    planCopy(src, src.child(path, child.name()), child, dst, dst.child(target, child.name()),
                            display + "/" + child.name(), false);
                }
            }
        }
    }

    /** After a move: the sources that arrived go; folders go once empty. */
    private void removeMoved(Tree src, String path, FileEntry top) {
        for (Step s : plan) {
            if (s.kind() != Step.Kind.FOLDER && moved.contains(s.fromPath())) {
                try {
                    src.delete(s.fromPath());
                    deleted++;
                } catch (IOException e) {
                    fail(s.display(), "not removed after the move: " + e.getMessage());
                }
            }
        }
        if (top.kind() == FileEntry.Kind.FOLDER && failed.isEmpty() && skipped == 0) {
            try {
                src.delete(path);
            } catch (IOException e) {
                fail(src.name(path), "not removed after the move: " + e.getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- synchronize and clone

    TransferResult synchronize(Tree a, String aPath, Tree b, String bPath) throws IOException, InterruptedException {
        requireFolders(a, aPath, b, bPath);
        planSync(a, aPath, b, bPath, "");
        run(true);
        return result();
    }

    private void planSync(Tree a, String aPath, Tree b, String bPath, String display) throws IOException {
        Map<String, FileEntry> left = byName(a.list(aPath));
        Map<String, FileEntry> right = byName(b.list(bPath));
        java.util.SortedSet<String> names = new java.util.TreeSet<>(left.keySet());
        names.addAll(right.keySet());
        for (String name : names) {
            FileEntry l = left.get(name);
            FileEntry r = right.get(name);
            String shown = display.isEmpty() ? name : display + "/" + name;
            if (l != null && !options.hidden() && l.hidden() || r != null && !options.hidden() && r.hidden()) {
                continue;
            }
            if (l != null && r == null) {
                if (!options.onlyExisting()) {
                    planCopyAll(a, a.child(aPath, name), l, b, b.child(bPath, name), shown);
                }
            } else if (l == null) {
                if (!options.onlyExisting() && !options.oneWay()) {
                    planCopyAll(b, b.child(bPath, name), r, a, a.child(aPath, name), shown);
                }
            } else if (l.kind() == FileEntry.Kind.FOLDER && r.kind() == FileEntry.Kind.FOLDER) {
                if (options.subfolders()) {
                    planSync(a, a.child(aPath, name), b, b.child(bPath, name), shown);
                }
            } else if (l.kind() != r.kind()) {
                fail(shown, "a " + l.kind().name().toLowerCase() + " on one side, a " + r.kind().name().toLowerCase()
                        + " on the other: left alone");
            } else if (l.modified() / 1000 > r.modified() / 1000) {
                plan.add(new Step(kindOf(l), a, a.child(aPath, name), l, b, b.child(bPath, name), shown));
            } else if (r.modified() / 1000 > l.modified() / 1000 && !options.oneWay()) {
                plan.add(new Step(kindOf(r), b, b.child(bPath, name), r, a, a.child(aPath, name), shown));
            }
        }
    }

    private void planCopyAll(Tree src, String path, FileEntry e, Tree dst, String target, String display)
            throws IOException {
        if (e.kind() == FileEntry.Kind.FOLDER && !options.subfolders()) {
            return;
        }
        planCopy(src, path, e, dst, target, display, false);
    }

    TransferResult cloneTree(Tree src, String srcPath, Tree dst, String dstPath) throws IOException,
            InterruptedException {
        FileEntry top = src.stat(srcPath).orElseThrow(() -> new FileException(srcPath + ": no such folder"));
        if (top.kind() != FileEntry.Kind.FOLDER) {
            throw new FileException(srcPath + ": clone makes a folder equal to a folder; this is not one");
        }
        if (dst.stat(dstPath).isEmpty()) {
            dst.mkdirs(dstPath);
        }
        planClone(src, srcPath, dst, dstPath, "");
        run(true);
        return result();
    }

    private void planClone(Tree src, String srcPath, Tree dst, String dstPath, String display) throws IOException {
        Map<String, FileEntry> want = byName(src.list(srcPath));
        Map<String, FileEntry> have = byName(dst.list(dstPath));
        for (FileEntry h : have.values()) {
            FileEntry w = want.get(h.name());
            boolean wanted = w != null && (options.hidden() || !w.hidden())
                    && (w.kind() != FileEntry.Kind.FOLDER || options.subfolders());
            if (!wanted || w.kind() != h.kind()) {
                String shown = display.isEmpty() ? h.name() : display + "/" + h.name();
                plan.add(new Step(Step.Kind.DELETE, null, null, h, dst, dst.child(dstPath, h.name()), shown));
            }
        }
        for (FileEntry w : want.values()) {
            String shown = display.isEmpty() ? w.name() : display + "/" + w.name();
            if (!options.hidden() && w.hidden()) {
                continue;
            }
            String from = src.child(srcPath, w.name());
            String to = dst.child(dstPath, w.name());
            FileEntry h = have.get(w.name());
            boolean same = h != null && h.kind() == w.kind();
            switch (w.kind()) {
                case FOLDER -> {
                    if (options.subfolders()) {
                        if (same) {
                            planClone(src, from, dst, to, shown);
                        } else {
                            planCopy(src, from, w, dst, to, shown, false); // nothing there yet to compare
                        }
                    }
                }
                case FILE -> {
                    if (!same || h.size() != w.size() || h.modified() / 1000 != w.modified() / 1000) {
                        plan.add(new Step(Step.Kind.FILE, src, from, w, dst, to, shown));
                    }
                }
                case LINK -> {
                    if (!same || !w.target().equals(h.target())) {
                        plan.add(new Step(Step.Kind.LINK, src, from, w, dst, to, shown));
                    }
                }
            }
        }
    }

    private static void requireFolders(Tree a, String aPath, Tree b, String bPath) throws IOException {
        requireFolder(a, aPath);
        requireFolder(b, bPath);
    }

    /** A folder to synchronize: made when missing, refused when a file. */
    private static void requireFolder(Tree t, String path) throws IOException {
        Optional<FileEntry> e = t.stat(path);
        if (e.isEmpty()) {
            t.mkdirs(path);
        } else if (e.get().kind() != FileEntry.Kind.FOLDER) {
            throw new FileException(path + ": synchronize works on folders; this is not one");
        }
    }

    private static Map<String, FileEntry> byName(List<FileEntry> entries) {
        Map<String, FileEntry> m = new TreeMap<>();
        for (FileEntry e : entries) {
            m.put(e.name(), e);
        }
        return m;
    }

    private static Step.Kind kindOf(FileEntry e) {
        return e.kind() == FileEntry.Kind.LINK ? Step.Kind.LINK : Step.Kind.FILE;
    }

    // ---------------------------------------------------------------- running the plan

    /**
     * Runs the plan. {@code replaceAlways}: synchronize and clone decided already which files to
     * replace; copy and move apply the overwrite rule here.
     */
    private void run(boolean replaceAlways) throws IOException, InterruptedException {
        int count = 0;
        long total = 0;
        for (Step s : plan) {
            if (s.kind() == Step.Kind.FILE) {
                count++;
                total += s.entry().size();
            }
        }
        listener.planned(count, total);
        for (Step s : plan) {
            if (stopped) {
                return;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("the transfer was interrupted");
            }
            switch (s.kind()) {
                case FOLDER -> attempt(s, () -> {
                    s.to().mkdirs(s.toPath());
                    listener.finished(s.display() + "/", "created", "");
                });
                case DELETE -> {
                    if (!options.readOnly() && s.entry().readOnly()) {
                        skip(s, "read-only, not deleted");
                    } else if (confirmed(s, s.entry(), true)) {
                        attempt(s, () -> {
                            s.to().delete(s.toPath());
                            deleted++;
                            listener.finished(s.display(), "deleted", "not in the source");
                        });
                    }
                }
                case LINK -> attempt(s, () -> {
                    s.to().symlink(s.toPath(), s.entry().target());
                    files++;
                    moved.add(s.fromPath());
                    listener.finished(s.display(), "linked", "-> " + s.entry().target());
                });
                case FILE -> file(s, replaceAlways);
            }
        }
    }

    private void file(Step s, boolean replaceAlways) throws IOException, InterruptedException {
        Optional<FileEntry> there = s.to().stat(s.toPath());
        if (there.isPresent()) {
            FileEntry t = there.get();
            if (t.kind() == FileEntry.Kind.FOLDER) {
                fail(s.display(), "a folder of that name is in the way");
                return;
            }
            if (!options.readOnly() && t.readOnly()) {
                skip(s, "the destination is read-only");
                return;
            }
            if (!replaceAlways) {
                switch (options.overwrite()) {
                    case NEVER -> {
                        skip(s, "exists");
                        return;
                    }
                    case NEWER -> {
                        boolean newer = s.entry().modified() / 1000 > t.modified() / 1000;
                        boolean sameTime = s.entry().modified() / 1000 == t.modified() / 1000;
                        if (!newer && !(sameTime && s.entry().size() != t.size())) {
                            skip(s, sameTime ? "unchanged" : "the destination is newer");
                            return;
                        }
                    }
                    case ALWAYS -> {
                        // replaced below
                    }
                }
            }
        }
        if (there.isPresent() && !confirmed(s, there.get(), false)) {
            return;
        }
        boolean update = there.isPresent();
        attempt(s, () -> {
            listener.started(s.display(), s.entry().size());
            Progress progress = new Progress(s.display(), s.entry().size());
            long wire = transfers.transfer(s.from(), s.fromPath(), s.to(), s.toPath(), options.delta(), progress);
            files++;
            bytes += s.entry().size();
            wireBytes += wire;
            moved.add(s.fromPath());
            listener.finished(s.display(), update ? "updated" : "copied", detail(s.entry().size(), wire,
                    progress.resumedAt));
        });
    }

    private static String detail(long size, long wire, long resumedAt) {
        String d = size + " bytes, " + wire + " on the wire";
        return resumedAt > 0 ? d + ", resumed after " + resumedAt : d;
    }

    private interface Work {
        void run() throws IOException;
    }

    private void attempt(Step s, Work work) throws InterruptedException {
        int tries = options.onError() == TransferOptions.OnError.RETRY ? options.retries() + 1 : 1;
        for (int i = 1; ; i++) {
            try {
                work.run();
                return;
            } catch (InterruptedIOException e) {
                throw new InterruptedException(e.getMessage());
            } catch (IOException e) {
                if (i < tries) {
                    listener.finished(s.display(), "retrying", e.getMessage());
                    continue;
                }
                fail(s.display(), e.getMessage());
                if (options.onError() == TransferOptions.OnError.STOP) {
                    stopped = true;
                }
                return;
            }
        }
    }

    /**
     * Whether the destination's {@code existing} entry may be replaced or deleted: asks the listener
     * when the options want that for one of the entry's reasons, most specific first. A no skips the
     * step, a cancel stops the operation.
     */
    private boolean confirmed(Step s, FileEntry existing, boolean delete) throws IOException {
        TransferOptions.Confirm reason = null;
        for (TransferOptions.Confirm c : TransferOptions.Confirm.values()) {
            if (options.confirm().contains(c) && !allowed.contains(c) && applies(c, s, existing, delete)) {
                reason = c; // the constants go from general to specific
            }
        }
        if (reason == null) {
            return true;
        }
        switch (listener.confirm(s.display(), existing, delete, reason)) {
            case YES -> {
                return true;
            }
            case ALL -> {
                allowed.add(reason);
                return true;
            }
            case CANCEL -> {
                stopped = true;
                listener.finished(s.display(), "cancelled", "the operation stops here");
                return false;
            }
            default -> {
                skip(s, delete ? "not deleted, as answered" : "not replaced, as answered");
                return false;
            }
        }
    }

    private static boolean applies(TransferOptions.Confirm c, Step s, FileEntry existing, boolean delete)
            throws IOException {
        return switch (c) {
            case REPLACE -> true;
            case READ_ONLY -> existing.readOnly();
            case HIDDEN -> existing.hidden();
            case FOLDER -> delete && existing.kind() == FileEntry.Kind.FOLDER && !s.to().list(s.toPath()).isEmpty();
        };
    }

    private void skip(Step s, String why) {
        skipped++;
        listener.finished(s.display(), "skipped", why);
    }

    private void fail(String display, String why) {
        failed.add(display + ": " + why);
        listener.finished(display, "failed", why);
    }

    private TransferResult result() {
        return new TransferResult(files, skipped, deleted, failed, bytes, wireBytes, stopped);
    }

    /** Tells the listener how far the current file is. */
    private final class Progress implements FileData {
        private final String file;
        private final long size;
        private final long block;
        private long done;
        private long resumedAt;

        Progress(String file, long size) {
            this.file = file;
            this.size = size;
            this.block = Delta.blockSize(size);
        }

        private void add(long n) {
            done = Math.min(size, done + n);
            listener.progress(file, done, size);
        }

        @Override
        public void start(long from, long fileSize) {
            resumedAt = from;
            done = 0;
            add(from);
        }

        @Override
        public void copy(long first, int count) {
            add(count * block);
        }

        @Override
        public void literal(byte[] b, int off, int len) {
            add(len);
        }

        @Override
        public void zeros(long n) {
            add(n);
        }

        @Override
        public void end(End end) {
            done = size;
            listener.progress(file, done, size);
        }
    }
}
