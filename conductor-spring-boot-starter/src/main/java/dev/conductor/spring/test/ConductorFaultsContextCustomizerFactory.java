package dev.conductor.spring.test;

import dev.conductor.core.Faults;
import java.util.List;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Registers a {@link ConductorFaults} (and the {@link Faults} it drives, which the Conductor auto-configuration
 * attaches to the engine) in every test context. The customizer is the same for every test class, so it does
 * not split the context cache.
 */
class ConductorFaultsContextCustomizerFactory implements ContextCustomizerFactory {

    static final String FAULTS_BEAN_NAME = "conductorTestFaults";

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return new Customizer();
    }

    private static final class Customizer implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            Faults faults = new Faults();
            context.getBeanFactory().registerSingleton(FAULTS_BEAN_NAME, faults);
            context.getBeanFactory().registerSingleton("conductorFaults",
                    new ConductorFaults(faults, context.getBeanFactory()));
        }

        @Override
        public boolean equals(Object other) {
            return other != null && other.getClass() == getClass();
        }

        @Override
        public int hashCode() {
            return Customizer.class.hashCode();
        }
    }
}
