package org.tandemrc.api.tool;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Registers a DS component's remote tool under its id: {@code @TandemToolId("processes")} on the component
 * class sets the service property {@value RemoteTool#ID_PROPERTY} to {@code processes}. The name follows
 * from the annotation's own name (DS single-element mapping: {@code TandemToolId} gives {@code
 * tandem.tool.id}), which is why it is not shorter.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface TandemToolId {

    /** The id, the same as the service's own {@code id()}. */
    String value();
}
