package org.tandemrc.host.desktop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tandemrc.api.node.Command;

class HelpFormTest {

    @Test
    void aBlankFieldLeavesItsOptionToTheHostsDefaults() {
        assertEquals(List.of("request", "--provider", "Support", "--to", "tcp:desk:6503", "--problem", "no printing"),
                HelpForm.request(" Support ", "tcp:desk:6503", "no printing\n"));
        assertEquals(List.of("request", "--problem", "--provider is not an option here"),
                HelpForm.request("", "  ", "--provider is not an option here"));
    }

    @Test
    void theCommandsOutputAndErrorsAreWhatTheFormShows() {
        List<List<String>> ran = new ArrayList<>();
        Command help = (args, in, out, err) -> {
            ran.add(args);
            if (args.get(0).equals("status")) {
                out.println("pending: help from Support");
                return 0;
            }
            err.println("tandem: cannot reach tcp:desk:6503");
            return 1;
        };
        HelpForm.Answer status = HelpForm.run(help, List.of("status"));
        assertTrue(status.ok());
        assertEquals("pending: help from Support", status.text());
        HelpForm.Answer failed = HelpForm.run(help, HelpForm.request("Support", "tcp:desk:6503", ""));
        assertFalse(failed.ok());
        assertEquals("tandem: cannot reach tcp:desk:6503", failed.text());
        assertEquals(List.of(List.of("status"), List.of("request", "--provider", "Support", "--to", "tcp:desk:6503")), ran);
        assertEquals("boom", HelpForm.run((a, i, o, e) -> { throw new IllegalStateException("boom"); }, List.of("status")).text());
    }
}
