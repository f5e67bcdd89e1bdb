package org.tandemrc.session.files.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.tandemrc.api.files.FileEntry;
import org.tandemrc.api.files.FileException;
import org.tandemrc.api.files.FileSession;
import org.tandemrc.api.files.Place;
import org.tandemrc.api.files.TransferListener;
import org.tandemrc.api.files.TransferOptions;
import org.tandemrc.api.files.TransferResult;

/** The Guest's file-transfer session: this machine's files and one Host's shared folders. */
final class GuestFiles implements FileSession, Operations.Transfers {

    private final LocalTree local;
    private final RemoteTree remote;

    GuestFiles(LocalTree local, RemoteTree remote) {
        this.local = local;
        this.remote = remote;
    }

    private Tree tree(Place p) {
        return p.remote() ? remote : local;
    }

    private static FileException wrap(IOException e) {
        return e instanceof FileException f ? f : new FileException(e.getMessage(), e);
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

    @Override
    public TransferResult copy(Place source, Place destination, TransferOptions options, TransferListener listener)
            throws FileException, InterruptedException {
        try {
            return new Operations(this, options, listener).copy(tree(source), source.path(), tree(destination),
                    destination.path(), false);
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    @Override
    public TransferResult move(Place source, Place destination, TransferOptions options, TransferListener listener)
            throws FileException, InterruptedException {
        try {
            return new Operations(this, options, listener).copy(tree(source), source.path(), tree(destination),
                    destination.path(), true);
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    @Override
    public TransferResult synchronize(Place source, Place destination, TransferOptions options,
            TransferListener listener) throws FileException, InterruptedException {
        try {
            return new Operations(this, options, listener).synchronize(tree(source), source.path(), tree(destination),
                    destination.path());
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    @Override
    public TransferResult clone(Place source, Place destination, TransferOptions options, TransferListener listener)
            throws FileException, InterruptedException {
        try {
            return new Operations(this, options, listener).cloneTree(tree(source), source.path(), tree(destination),
                    destination.path());
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    @Override
    public long transfer(Tree from, String fromPath, Tree to, String toPath, boolean delta, FileData progress)
            throws IOException {
        if (from == remote && to == remote) {
            throw new FileException("copying from the Host to the Host is not supported yet: copy through a local folder");
        }
        if (to == remote) {
            return remote.put(local, fromPath, toPath, delta, progress);
        }
        LocalTree.Receiver receiver = local.receive(toPath, delta);
        try {
            if (from == remote) {
                return remote.get(fromPath, receiver, delta, progress);
            }
            local.send(fromPath, receiver.offer(), delta, new RemoteTree.Tee(receiver, progress));
            return 0;
        } finally {
            receiver.abort();
        }
    }

    @Override
    public void close() {
        remote.close("the Guest closed file transfer");
    }
}
