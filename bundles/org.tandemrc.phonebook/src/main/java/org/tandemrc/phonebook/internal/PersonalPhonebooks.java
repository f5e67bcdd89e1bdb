package org.tandemrc.phonebook.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.phonebook.Phonebook;
import org.tandemrc.api.phonebook.PhonebookException;
import org.tandemrc.api.phonebook.Phonebooks;

/**
 * The personal phonebooks, each a {@link PhonebookStore} of its own (records, folders and password key)
 * in {@code data/phonebooks/OWNER} under the node's home, opened on first use and kept open.
 */
@Component(service = Phonebooks.class)
public final class PersonalPhonebooks implements Phonebooks {

    /** More owners than the console keeps accounts; past it, the request is refused rather than the memory grown. */
    static final int MAX_OPEN = 10_000;

    private Path root;
    private final Map<String, PhonebookStore> open = new HashMap<>();

    public PersonalPhonebooks() {
    }

    /** For tests: the personal phonebooks under {@code root}. */
    PersonalPhonebooks(Path root) {
        this.root = root.toAbsolutePath();
    }

    @Activate
    void activate(BundleContext context) {
        String h = context.getProperty("tandem.home");
        root = Path.of(h == null ? "." : h).resolve("data/phonebooks").toAbsolutePath();
    }

    @Override
    public synchronized Phonebook personal(String owner) throws PhonebookException {
        PhonebookStore store = open.get(PhonebookStore.checkName(owner, "phonebook owner"));
        if (store != null) {
            return store;
        }
        if (open.size() >= MAX_OPEN) {
            throw new PhonebookException("more than " + MAX_OPEN + " personal phonebooks are open");
        }
        try {
            store = new PhonebookStore(root.resolve(owner));
        } catch (IOException e) {
            throw new PhonebookException("cannot open the personal phonebook of " + owner + ": " + e.getMessage(), e);
        }
        open.put(owner, store);
        return store;
    }
}
