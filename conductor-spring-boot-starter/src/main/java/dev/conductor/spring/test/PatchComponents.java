package dev.conductor.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Holds several {@link PatchComponent} declarations on one test class; use {@code @PatchComponent} repeatedly. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PatchComponents {

    /** The patches. */
    PatchComponent[] value();
}
