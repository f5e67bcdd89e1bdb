package org.tandemrc.api.tool;

/** The type of a value in a table column or form field, so a front end can render and validate it. */
public enum FieldType {
    /** Free text. */
    TEXT,
    /** A whole number. */
    INTEGER,
    /** A size in bytes, rendered in human units. */
    BYTES,
    /** A point in time, ISO-8601. */
    TIMESTAMP,
    /** True or false. */
    BOOLEAN,
    /** One of a fixed list of choices. */
    CHOICE,
    /** Text that is never echoed or logged, e.g. a password. */
    SECRET
}
