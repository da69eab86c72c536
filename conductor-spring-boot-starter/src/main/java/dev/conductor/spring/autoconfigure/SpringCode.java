package dev.conductor.spring.autoconfigure;

/**
 * Tells Spring's own code (its projects' configuration classes and post-processors, which know no application class)
 * from an application's, by class name: {@code org.springframework.*}, except the sample applications Spring
 * publishes under {@code org.springframework.samples} (Spring PetClinic among them), which are applications.
 */
final class SpringCode {

    private static final String SPRING = "org.springframework.";

    private static final String SAMPLES = "org.springframework.samples.";

    private SpringCode() {
    }

    static boolean isSpringCode(String className) {
        return className.startsWith(SPRING) && !className.startsWith(SAMPLES);
    }
}
