package org.tandemrc.api.tool;

import java.util.List;
import java.util.Objects;

/**
 * A named, typed value: an operation parameter, a form field or a table column.
 *
 * @param name     stable id, used as the argument key
 * @param label    what a person sees
 * @param type     how to render and validate the value
 * @param required whether an operation may not run without it (ignored for columns)
 * @param choices  the allowed values for {@link FieldType#CHOICE}; empty otherwise
 */
public record Field(String name, String label, FieldType type, boolean required, List<String> choices) {

    public Field {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(type, "type");
        choices = List.copyOf(choices);
        if (type == FieldType.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException("choice field '" + name + "' needs choices");
        }
    }

    /** A field of a type without choices. */
    public static Field of(String name, String label, FieldType type, boolean required) {
        return new Field(name, label, type, required, List.of());
    }
}
