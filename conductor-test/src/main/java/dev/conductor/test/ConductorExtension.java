package dev.conductor.test;

import dev.conductor.core.Component;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit Jupiter extension behind {@link ConductorTest}. The outermost annotated class's context holds its
 * {@link ComponentPlan}; the components' {@link ComponentSession} lives in the class's context
 * ({@code PER_CLASS}) or in each test's ({@code PER_METHOD}), so nested classes and tests find both through
 * their parent contexts.
 */
final class ConductorExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ConductorExtension.class);

    private static final String PLAN = "plan";

    private static final String SESSION = "session";

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        Optional<ConductorTest> declaration = AnnotationSupport.findAnnotation(testClass, ConductorTest.class);
        ComponentPlan enclosing = plan(context);
        if (enclosing != null) {
            if (testClass.getDeclaredAnnotation(ConductorTest.class) != null) {
                throw new ExtensionConfigurationException("@ConductorTest on the @Nested class " + testClass.getName()
                        + ": nested classes share the components of their enclosing class. Declare the components"
                        + " and patches on the outermost class, or make this a separate test class.");
            }
            if (testClass.getDeclaredAnnotationsByType(Patch.class).length > 0) {
                throw new ExtensionConfigurationException("@Patch on the @Nested class " + testClass.getName()
                        + ": nested classes share the components of their enclosing class. Declare the patches on"
                        + " the outermost class, next to its @ConductorTest.");
            }
            return; // a @Nested class: the enclosing class's components
        }
        if (declaration.isEmpty()) {
            throw new ExtensionConfigurationException(testClass.getName() + " uses ConductorExtension without"
                    + " @ConductorTest: annotate the class with @ConductorTest(components = ...) instead.");
        }
        ComponentPlan plan = ComponentPlan.of(testClass, declaration.get());
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        store.put(PLAN, plan);
        if (plan.lifecycle() == ConductorTest.Lifecycle.PER_CLASS) {
            ComponentSession session = plan.start();
            store.put(SESSION, session);
            context.getTestInstance().ifPresent(session::inject); // @TestInstance(PER_CLASS)
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ComponentPlan plan = plan(context);
        if (plan.lifecycle() == ConductorTest.Lifecycle.PER_METHOD) {
            context.getStore(NAMESPACE).put(SESSION, plan.start());
        }
        ComponentSession session = session(context);
        context.getRequiredTestInstances().getAllInstances().forEach(session::inject);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        ComponentPlan plan = plan(context);
        if (plan != null && plan.lifecycle() == ConductorTest.Lifecycle.PER_METHOD) {
            shutDown(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        shutDown(context); // only the class that set the components up holds them in its own store
    }

    private static void shutDown(ExtensionContext context) {
        ComponentSession session = context.getStore(NAMESPACE).remove(SESSION, ComponentSession.class);
        if (session != null) {
            session.shutdown();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return Component.class.isAssignableFrom(parameter.getParameter().getType()) && plan(context) != null;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ComponentSession session = session(context);
        if (session == null) {
            Executable executable = parameter.getDeclaringExecutable();
            throw new ParameterResolutionException("Cannot inject a component into " + describe(executable)
                    + ": with @ConductorTest(lifecycle = PER_METHOD) the components exist only around each test."
                    + " Take it as a parameter of the test or of a @BeforeEach method, or use a field.");
        }
        return session.find(parameter.getParameter().getType(),
                "parameter " + parameter.getIndex() + " of " + describe(parameter.getDeclaringExecutable()));
    }

    private static String describe(Executable executable) {
        return executable instanceof Method
                ? executable.getDeclaringClass().getSimpleName() + "." + executable.getName() + "()"
                : "the constructor of " + executable.getDeclaringClass().getSimpleName();
    }

    private static ComponentPlan plan(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(PLAN, ComponentPlan.class);
    }

    private static ComponentSession session(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(SESSION, ComponentSession.class);
    }
}
