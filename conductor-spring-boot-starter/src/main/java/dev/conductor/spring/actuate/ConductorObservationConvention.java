package dev.conductor.spring.actuate;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the spans of Conductor's observations and gives their keys. Each observation keeps the name of its kind
 * ({@link ConductorObservationContext.Kind#observationName()}) unless {@link #getName()} returns one. Declare a bean of this type to replace
 * {@link DefaultConductorObservationConvention}, or extend that one to add keys.
 */
public interface ConductorObservationConvention extends ObservationConvention<ConductorObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof ConductorObservationContext;
    }
}
