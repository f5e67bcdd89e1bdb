package org.tandemrc.session.files.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.tandemrc.api.files.FileEntry;
import org.tandemrc.api.files.FileException;
import org.tandemrc.api.files.FileSession;
import org.tandemrc.api.files.Place;
import org.tandemrc.api.files.TransferListener;
import org.tandemrc.api.files.TransferOptions;
import org.tandemrc.api.files.TransferResult;

/**
 * The Guest's file-transfer session: this machine's files and one Host's shared folders. Whatever a
 * Host's names are written into is confined to the destination the user gave, exactly as a Host
 * confines a Guest to its shares: one plain name per entry ({@link RemoteTree} refuses others), no
 * link followed, links kept only when they stay inside the destination.
 */
final class GuestFiles implements FileSession, Operations.Transfers {

    private final LocalTree local;
    private final RemoteTree remote;

    GuestFiles(RemoteTree remote) {
        this.remote = remote;
        this.local = LocalTree.unconfined(() -> !remote.isOpen());
    }

    private Tree tree(Place p) {
        return p.remote() ? remote : local;
    }

    private static FileException wrap(IOException e) {
        return e instanceof FileException f ? f : new FileException(e.getMessage(), e);
    }

    /** One side of an operation: its tree and the path to use in it. */
    private record Side(Tree tree, String path) {
    }

    /**
     * The local side of an operation with the Host, confined to the folder the user named (made when
     * missing) when {@code folder}, else to the folder it is copied into or named in.
     */
    private Side side(Place p, Place other, boolean folder) throws IOException {
        if (p.remote() || !other.remote()) {
            return new Side(tree(p), p.path());
        }
        Path abs = Path.of(p.path()).toAbsolutePath();
        if (folder || Files.isDirectory(abs)) {
            Files.createDirectories(abs);
            Path real = abs.toRealPath();
            return new Side(LocalTree.rooted(real, () -> !remote.isOpen()), real.toString());
        }
        Path parent = abs.getParent();
        if (parent == null) {
            throw new FileException(p.path() + ": not a place to copy into");
        }
        Files.createDirectories(parent);
        Path real = parent.toRealPath();
        return new Side(LocalTree.rooted(real, () -> !remote.isOpen()), real.resolve(abs.getFileName()).toString());
    }

    @Override
    public List<FileEntry> list(Place folder) throws FileException {
        try {
            return tree(folder).list(folder.path());
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    @Override
    public Optional<FileEntry> stat(Place path) throws FileException {
        try {
            return tree(path).stat(path.path());
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    @Override
    public void mkdir(Place folder) throws FileException {
        try {
            tree(folder).mkdirs(folder.path());
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    @Override
    public void rename(Place from, Place to) throws FileException {
        if (from.remote() != to.remote()) {
            throw new FileException("rename stays on one side; use move between the Guest and the Host");
        }
        try {
            tree(from).rename(from.path(), to.path());
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    @Override
    public void delete(Place path) throws FileException {
        try {
            tree(path).delete(path.path());
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    private interface Run {
        TransferResult run(Operations o, Side from, Side to) throws IOException, InterruptedException;
    }

    /**
     * Runs an operation. {@code folders}: both places are folders (sync, clone); {@code bothWays}: the
     * source is written too (sync).
     */
    private TransferResult run(Place source, Place destination, boolean folders, boolean bothWays,
            TransferOptions options, TransferListener listener, Run run) throws FileException, InterruptedException {
        try {
            Side from = bothWays ? side(source, destination, true) : new Side(tree(source), source.path());
            Side to = side(destination, source, folders);
            return run.run(new Operations(this, options, listener), from, to);
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    @Override
    public TransferResult copy(Place source, Place destination, TransferOptions options, TransferListener listener)
            throws FileException, InterruptedException {
        return run(source, destination, false, false, options, listener,
                (o, from, to) -> o.copy(from.tree(), from.path(), to.tree(), to.path(), false));
    }

    @Override
    public TransferResult move(Place source, Place destination, TransferOptions options, TransferListener listener)
            throws FileException, InterruptedException {
        return run(source, destination, false, false, options, listener,
                (o, from, to) -> o.copy(from.tree(), from.path(), to.tree(), to.path(), true));
    }

    @Override
    public TransferResult synchronize(Place source, Place destination, TransferOptions options,
            TransferListener listener) throws FileException, InterruptedException {
        return run(source, destination, true, true, options, listener,
                (o, from, to) -> o.synchronize(from.tree(), from.path(), to.tree(), to.path()));
    }

    @Override
    public TransferResult clone(Place source, Place destination, TransferOptions options, TransferListener listener)
            throws FileException, InterruptedException {
        return run(source, destination, true, false, options, listener,
                (o, from, to) -> o.cloneTree(from.tree(), from.path(), to.tree(), to.path()));
    }

    @Override
    public long transfer(Tree from, String fromPath, Tree to, String toPath, boolean delta, FileData progress)
            throws IOException {
        if (from == remote && to == remote) {
            throw new FileException("copying from the Host to the Host is not supported yet: copy through a local folder");
        }
        if (to == remote) {
            return remote.put((LocalTree) from, fromPath, toPath, delta, progress);
        }
        LocalTree.Receiver receiver = ((LocalTree) to).receive(toPath, delta);
        try {
            if (from == remote) {
                return remote.get(fromPath, receiver, delta, progress);
            }
            ((LocalTree) from).send(fromPath, receiver.offer(), delta, new RemoteTree.Tee(receiver, progress));
            return 0;
        } finally {
            receiver.abort();
        }
    }

    @Override
    public long offer(Path file) throws FileException, org.tandemrc.api.guest.GuestException {
        try {
            Path abs = file.toAbsolutePath();
            Path name = abs.getFileName();
            if (name == null || !Files.isRegularFile(abs)) {
                throw new FileException(file + " is not a file");
            }
            return remote.offer(local, abs.toString(), name.toString(), Files.size(abs));
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    @Override
    public void close() {
        remote.close("the Guest closed file transfer");
    }
}
