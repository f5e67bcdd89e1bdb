package org.tandemrc.api.comm;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Registers a DS component's communication device under its type: {@code @TandemDeviceType("tcp")} on the
 * component class sets the service property {@value CommunicationDevice#TYPE_PROPERTY} to {@code tcp}. The
 * name follows from the annotation's own name (DS single-element mapping: {@code TandemDeviceType} gives
 * {@code tandem.device.type}), which is why it is not shorter.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface TandemDeviceType {

    /** The type, the same as the service's own {@code type()}. */
    String value();
}
