/**
 * One action on many Hosts at once, for every front end of a Guest (the command line, the console):
 * {@link org.tandemrc.support.batch.Batch} runs it with bounded parallelism, a deadline per Host and each
 * Host's failure kept to its own outcome; {@link org.tandemrc.support.batch.BatchWork} is what is done on
 * one phonebook record (log on with its credentials; message, tool operation, file offer or Wake-on-LAN).
 */
@Export
@NullMarked
@Version("1.0.0")
package org.tandemrc.support.batch;

import org.osgi.annotation.bundle.Export;
import org.jspecify.annotations.NullMarked;
import org.osgi.annotation.versioning.Version;
