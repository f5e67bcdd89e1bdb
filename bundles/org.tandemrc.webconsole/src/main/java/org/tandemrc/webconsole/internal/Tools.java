package org.tandemrc.webconsole.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tandemrc.api.guest.GuestException;
import org.tandemrc.api.tool.Field;
import org.tandemrc.api.tool.Operation;
import org.tandemrc.api.tool.client.RemoteTools;
import org.tandemrc.api.tool.Result;
import org.tandemrc.api.tool.ToolException;
import org.tandemrc.api.tool.client.ToolInfo;
import org.tandemrc.api.tool.client.ToolSession;

/**
 * The generic tools pane's side on the node: the Host's remote-management tools with their declared
 * operations, parameters and results as JSON, so the page renders any tool without knowing it. One
 * tools session per connection, opened on first use and closed with the connection.
 */
@Component(service = Tools.class)
public class Tools {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile RemoteTools remoteTools;

    private final Map<String, ToolSession> sessions = new java.util.concurrent.ConcurrentHashMap<>();

    private ToolSession session(Connections.Link link) throws GuestException, InterruptedException {
        ToolSession s = sessions.get(link.id);
        if (s != null) {
            return s;
        }
        RemoteTools tools = remoteTools;
        if (tools == null) {
            throw new GuestException(GuestException.Reason.NOT_INSTALLED,
                    "remote management is not installed on this Guest");
        }
        synchronized (this) {
            s = sessions.get(link.id);
            if (s == null) {
                s = tools.open(link.connection);
                sessions.put(link.id, s);
                link.opened("Remote Management");
                link.connection.closed().whenComplete((r, e) -> sessions.remove(link.id));
            }
        }
        return s;
    }

    Map<String, Object> list(Connections.Link link) throws GuestException, InterruptedException, ToolException {
        List<Object> out = new ArrayList<>();
        for (ToolInfo t : session(link).tools()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", t.id());
            m.put("title", t.title());
            m.put("section", t.section());
            List<Object> ops = new ArrayList<>();
            for (Operation o : t.operations()) {
                Map<String, Object> om = new LinkedHashMap<>();
                om.put("id", o.id());
                om.put("title", o.title());
                om.put("changesHost", o.changesHost());
                om.put("parameters", fields(o.parameters()));
                if (o.streams()) {
                    om.put("stream", o.stream().name());
                }
                ops.add(om);
            }
            m.put("operations", ops);
            out.add(m);
        }
        return Map.of("tools", out);
    }

    Map<String, Object> invoke(Connections.Link link, String tool, String operation, Map<String, String> arguments)
            throws GuestException, InterruptedException, ToolException {
        return Map.of("result", result(session(link).invoke(tool, operation, arguments)));
    }

    /** A result as the page renders it: a table, a form or a message. */
    static Map<String, Object> result(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (r instanceof Result.Table t) {
            m.put("kind", "table");
            m.put("columns", fields(t.columns()));
            m.put("rows", t.rows());
        } else if (r instanceof Result.Form f) {
            m.put("kind", "form");
            m.put("fields", fields(f.fields()));
            m.put("values", f.values());
        } else if (r instanceof Result.Message msg) {
            m.put("kind", "message");
            m.put("text", msg.text());
        }
        return m;
    }

    static List<Object> fields(List<Field> fields) {
        List<Object> out = new ArrayList<>();
        for (Field f : fields) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("label", f.label());
            m.put("type", f.type().name());
            m.put("required", f.required());
            m.put("choices", f.choices());
            out.add(m);
        }
        return out;
    }
}
