package org.tandemrc.api.tool;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What an operation returns: a table, a form or a message. Any Guest front end can render all three. */
public sealed interface Result permits Result.Table, Result.Form, Result.Message {

    /**
     * Rows of values under typed columns.
     *
     * @param columns the columns, in display order
     * @param rows    each row has one value per column, rendered as text in the column's type
     */
    record Table(List<Field> columns, List<List<String>> rows) implements Result {
        public Table {
            columns = List.copyOf(columns);
            rows = rows.stream().map(List::copyOf).toList();
            for (List<String> row : rows) {
                if (row.size() != columns.size()) {
                    throw new IllegalArgumentException(
                            "row has " + row.size() + " values for " + columns.size() + " columns");
                }
            }
        }
    }

    /**
     * Named values, e.g. the properties of one service.
     *
     * @param fields the fields, in display order
     * @param values the value of each field by {@link Field#name()}
     */
    record Form(List<Field> fields, Map<String, String> values) implements Result {
        public Form {
            fields = List.copyOf(fields);
            values = Map.copyOf(values);
        }
    }

    /**
     * A sentence, e.g. "Service stopped."
     *
     * @param text the sentence
     */
    record Message(String text) implements Result {
        public Message {
            Objects.requireNonNull(text, "text");
        }
    }
}
