package org.tandemrc.api.session;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Registers a DS component's session type under its id: {@code @TandemSessionType("chat")} on the component
 * class sets the service property {@value SessionType#ID_PROPERTY} to {@code chat}. The name follows from
 * the annotation's own name (DS single-element mapping: {@code TandemSessionType} gives {@code
 * tandem.session.type}), which is why it is not shorter.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface TandemSessionType {

    /** The id, the same as the service's own {@code id()}. */
    String value();
}
