package org.tandemrc.api.phonebook;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The personal phonebooks beside the shared {@link Phonebook}: one per owner (a console account), kept
 * in the same format under the node's data folder. Registered by the phonebook bundle.
 *
 * @since 1.1
 */
@ProviderType
public interface Phonebooks {

    /**
     * The personal phonebook of {@code owner}, made empty on first use.
     *
     * @param owner a name as a phonebook folder may have it (not empty, no {@code /}, {@code \}, leading
     *              {@code .} or control characters)
     * @throws PhonebookException when the name is not one, or the phonebook cannot be opened
     */
    Phonebook personal(String owner) throws PhonebookException;
}
