package org.example.diskspace;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystems;
import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.FieldType;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.RemoteTool;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.TandemToolId;
import org.tandemrc.toolkit.tool.OperationTool;

/** Disk Space: the Host's file systems with their size and free space, as the JDK sees them. */
@Component(service = RemoteTool.class)
@TandemToolId(DiskSpaceTool.ID)
public class DiskSpaceTool extends OperationTool {

    static final String ID = "disk-space";
    /** A Host with thousands of mounts still answers in one message. */
    static final int MAX_ROWS = 500;

    static final List<Field> COLUMNS = List.of(
            Field.of("store", "File system", FieldType.TEXT, false),
            Field.of("type", "Type", FieldType.TEXT, false),
            Field.of("size", "Size", FieldType.BYTES, false),
            Field.of("free", "Free", FieldType.BYTES, false));

    public DiskSpaceTool() {
        super(ID, "Disk Space", "Examples");
        operation(new Operation("list", "List file systems", List.of(), false), arguments -> list());
    }

    static Result.Table list() {
        List<List<String>> rows = new ArrayList<>();
        for (FileStore store : FileSystems.getDefault().getFileStores()) {
            if (rows.size() == MAX_ROWS) {
                break;
            }
            try {
                rows.add(List.of(store.toString(), store.type(), Long.toString(store.getTotalSpace()),
                        Long.toString(store.getUsableSpace())));
            } catch (IOException e) {
                // a mount that vanished or that this user may not read: leave it out
            }
        }
        return new Result.Table(COLUMNS, rows);
    }
}
