package org.tandemrc.session.tools.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the tools session audited, one line each: "ok|failed|refused GUEST: DETAIL". */
final class RecordingAudit implements HostTools.Audit {

    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void operation(String guest, String detail, boolean ok) {
        lines.add((ok ? "ok " : "failed ") + guest + ": " + detail);
    }

    @Override
    public void refused(String guest, String detail) {
        lines.add("refused " + guest + ": " + detail);
    }
}
