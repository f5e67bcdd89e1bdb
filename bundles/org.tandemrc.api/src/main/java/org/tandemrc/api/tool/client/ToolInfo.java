package org.tandemrc.api.tool.client;

import org.tandemrc.api.tool.Operation;

import java.util.List;
import java.util.Objects;

/**
 * What a Host advertises about one tool.
 *
 * @param id         the tool's stable id, e.g. {@code processes}
 * @param title      what a person sees, e.g. "Task Manager"
 * @param section    the group the tool is listed under, e.g. "System"
 * @param operations the operations offered
 */
public record ToolInfo(String id, String title, String section, List<Operation> operations) {

    public ToolInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(section, "section");
        operations = List.copyOf(operations);
    }
}
