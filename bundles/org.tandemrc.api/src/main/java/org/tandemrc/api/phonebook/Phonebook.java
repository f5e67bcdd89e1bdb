package org.tandemrc.api.phonebook;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The Guest's phonebook: records in folders, credentials encrypted at rest. Folder paths join names
 * with {@code /}; a name may not be empty, {@code .} or {@code ..}, nor hold {@code /}, {@code \} or
 * control characters.
 */
@ProviderType
public interface Phonebook {

    /** Every folder path, sorted, the root ("") first. */
    List<String> folders() throws PhonebookException;

    /** The records of a folder and, when {@code subfolders}, of the folders below it; sorted by path. */
    List<Entry> entries(String folder, boolean subfolders) throws PhonebookException;

    /** One record. */
    Optional<Entry> entry(String folder, String description) throws PhonebookException;

    /** Makes a folder and its parents; nothing happens when it exists. */
    void createFolder(String folder) throws PhonebookException;

    /** Deletes a folder with everything in it. The root cannot be deleted. */
    void deleteFolder(String folder) throws PhonebookException;

    /** Saves a record, replacing one with the same folder and description; makes the folder. */
    void save(Entry entry) throws PhonebookException;

    /** Deletes a record; false when there was none. */
    boolean delete(String folder, String description) throws PhonebookException;

    /**
     * The records of {@code folder} and its subfolders as CSV lines in the reference's syntax. With a
     * {@code passphrase} the passwords are written encrypted under it ({@code ENCRYPTED:} and hex
     * digits); without one they are left out.
     */
    String exportCsv(String folder, char[] passphrase) throws PhonebookException;

    /**
     * Saves the records of CSV lines, under {@code folder} (their folder paths are relative to it).
     * Passwords written {@code ENCRYPTED:} need the {@code passphrase} they were exported with; plain
     * ones are taken as they are. Nothing is saved when a line is wrong.
     *
     * @return the records saved
     */
    List<Entry> importCsv(String folder, String csv, char[] passphrase) throws PhonebookException;

    /** A record as a .dwc XML record file; its passwords encrypted under {@code passphrase} or left out. */
    String exportDwc(String folder, String description, char[] passphrase) throws PhonebookException;

    /** Saves the record of a .dwc XML record file into {@code folder}. */
    Entry importDwc(String folder, String xml, char[] passphrase) throws PhonebookException;
}
