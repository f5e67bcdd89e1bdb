package org.tandemrc.support.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MarkupTest {

    @Test
    void everyCharacterThatEndsTextOrAnAttributeIsAReference() {
        assertEquals("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;&#13;\n",
                Markup.escape("<script>alert('x')</script> & \"Co\"\r\n"));
    }

    @Test
    void otherTextStaysAsItIs() {
        assertEquals("Zoë 支援 🙂", Markup.escape("Zoë 支援 🙂"));
        assertEquals("", Markup.escape(null));
    }
}
