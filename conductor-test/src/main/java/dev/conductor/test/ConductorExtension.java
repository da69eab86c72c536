package dev.conductor.test;

import dev.conductor.core.Component;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The JUnit Jupiter extension behind {@link ConductorTest}. Each group of tests ({@link ComponentPlan}) has its
 * {@link ComponentSession} in one store, under its own key: the group class's context ({@code PER_CLASS}), each
 * test's ({@code PER_METHOD}), each class template invocation's ({@code PER_INVOCATION}) or the root context's
 * ({@code SHARED}, under the plan's cache key), so nested classes and tests find it through their parent
 * contexts. Sessions are started when first needed (a constructor parameter comes before {@code beforeAll}).
 */
final class ConductorExtension implements TestInstancePostProcessor, BeforeAllCallback, AfterAllCallback,
        BeforeClassTemplateInvocationCallback, AfterClassTemplateInvocationCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ConductorExtension.class);

    /** The key of a group's session in a class, test or invocation context's store. */
    private record SessionKey(Class<?> group) {
    }

    @Override
    public ExtensionContextScope getTestInstantiationExtensionContextScope(ExtensionContext rootContext) {
        return ExtensionContextScope.TEST_METHOD;   // a PER_METHOD test's components exist when its instance is made
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        ComponentPlan plan = ComponentPlan.of(testInstance.getClass());
        ComponentSession session = plan == null ? null : session(context, plan);
        if (session != null) {
            session.inject(testInstance);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        ComponentPlan plan = ComponentPlan.of(testClass);
        if (plan == null) {
            throw new ExtensionConfigurationException(testClass.getName() + " uses ConductorExtension without"
                    + " @ConductorTest: annotate the class with @ConductorTest(components = ...) instead.");
        }
        ComponentSession session = session(context, plan);   // PER_CLASS and SHARED: set up now, at the latest
        if (session != null) {
            context.getTestInstance().ifPresent(session::inject);   // @TestInstance(PER_CLASS)
        }
    }

    @Override
    public void beforeClassTemplateInvocation(ExtensionContext context) {
        ComponentPlan plan = ComponentPlan.of(context.getRequiredTestClass());
        if (plan != null && plan.lifecycle() == ConductorTest.Lifecycle.PER_INVOCATION) {
            context.getStore(NAMESPACE).put(new SessionKey(plan.owner()), plan.start());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        List<Object> instances = context.getRequiredTestInstances().getAllInstances();
        Object innermost = instances.get(instances.size() - 1);
        ComponentPlan own = ComponentPlan.of(innermost.getClass());
        if (own != null && own.lifecycle() == ConductorTest.Lifecycle.PER_METHOD
                && context.getTestInstanceLifecycle().orElse(null) == TestInstance.Lifecycle.PER_CLASS
                && context.getExecutionMode() == ExecutionMode.CONCURRENT
                && !ComponentPlan.componentFields(innermost.getClass()).isEmpty()) {
            throw new ExtensionConfigurationException(innermost.getClass().getName() + " runs its tests concurrently"
                    + " on one instance (@TestInstance(PER_CLASS)) with @ConductorTest(lifecycle = PER_METHOD): the"
                    + " tests would overwrite each other's component fields. Take the components as parameters of"
                    + " the tests instead of fields, or leave the test instance lifecycle PER_METHOD.");
        }
        for (Object instance : instances) {
            ComponentPlan plan = ComponentPlan.of(instance.getClass());
            if (plan != null) {
                requireSession(context, plan).inject(instance);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<Object> instances = context.getRequiredTestInstances().getAllInstances();
        List<ComponentSession> sessions = new ArrayList<>();
        for (ComponentPlan plan = ComponentPlan.of(context.getRequiredTestClass()); plan != null; plan = plan.parent()) {
            if (plan.lifecycle() == ConductorTest.Lifecycle.PER_METHOD) {   // innermost group first
                ComponentSession session = context.getStore(NAMESPACE)
                        .remove(new SessionKey(plan.owner()), ComponentSession.class);
                if (session != null) {
                    sessions.add(session);
                }
            }
        }
        shutDown(sessions, instances);
    }

    @Override
    public void afterClassTemplateInvocation(ExtensionContext context) {
        ComponentPlan plan = ComponentPlan.of(context.getRequiredTestClass());
        if (plan != null && plan.lifecycle() == ConductorTest.Lifecycle.PER_INVOCATION) {
            ComponentSession session = context.getStore(NAMESPACE)
                    .remove(new SessionKey(plan.owner()), ComponentSession.class);
            shutDown(session == null ? List.of() : List.of(session), context.getTestInstance().stream().toList());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ComponentPlan plan = ComponentPlan.of(context.getRequiredTestClass());
        // only the outermost context of the group's class holds them; SHARED ones wait for the end of the run
        if (plan != null && plan.lifecycle() == ConductorTest.Lifecycle.PER_CLASS
                && owner(context, plan.owner()) == context) {
            ComponentSession session = context.getStore(NAMESPACE)
                    .remove(new SessionKey(plan.owner()), ComponentSession.class);
            shutDown(session == null ? List.of() : List.of(session), context.getTestInstance().stream().toList());
        }
    }

    /** Shuts the sessions down in order, every one of them even when one fails, then throws the first failure. */
    private static void shutDown(List<ComponentSession> sessions, List<Object> instances) {
        RuntimeException failure = null;
        for (ComponentSession session : sessions) {
            try {
                instances.forEach(session::clear);
                session.shutdown();
            }
            catch (RuntimeException ex) {
                if (failure == null) {
                    failure = ex;
                }
                else {
                    failure.addSuppressed(ex);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * The session of {@code plan} that {@code context} sees, started here if its lifecycle allows it and it is not
     * running yet; {@code null} when none can exist here (a {@code PER_METHOD} group outside a test, a
     * {@code PER_INVOCATION} group outside an invocation).
     */
    private static ComponentSession session(ExtensionContext context, ComponentPlan plan) {
        SessionKey key = new SessionKey(plan.owner());
        return switch (plan.lifecycle()) {
            case SHARED -> context.getRoot().getStore(NAMESPACE)
                    .computeIfAbsent(plan.cacheKey(), cacheKey -> new SharedSession(plan), SharedSession.class).get();
            case PER_CLASS -> {
                ExtensionContext owner = owner(context, plan.owner());
                yield owner == null ? null
                        : owner.getStore(NAMESPACE).computeIfAbsent(key, k -> plan.start(), ComponentSession.class);
            }
            case PER_METHOD -> context.getTestMethod().isPresent()
                    ? context.getStore(NAMESPACE).computeIfAbsent(key, k -> plan.start(), ComponentSession.class)
                    : null;
            case PER_INVOCATION -> context.getStore(NAMESPACE).get(key, ComponentSession.class);
        };
    }

    private static ComponentSession requireSession(ExtensionContext context, ComponentPlan plan) {
        ComponentSession session = session(context, plan);
        if (session == null) {
            throw new IllegalStateException("No components of " + plan.owner().getName() + " around "
                    + context.getDisplayName() + " (lifecycle " + plan.lifecycle() + ")");
        }
        return session;
    }

    /** The outermost context of {@code context}'s ancestors (itself included) that runs {@code group}. */
    private static ExtensionContext owner(ExtensionContext context, Class<?> group) {
        ExtensionContext owner = null;
        for (ExtensionContext current = context; current != null; current = current.getParent().orElse(null)) {
            if (current.getTestClass().orElse(null) == group) {
                owner = current;
            }
        }
        return owner;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return Component.class.isAssignableFrom(parameter.getParameter().getType())
                && context.getTestClass().map(ComponentPlan::of).isPresent()
                && !SuppliedArguments.supplies(parameter, context);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ComponentPlan plan = ComponentPlan.of(context.getRequiredTestClass());
        ComponentSession session = session(context, plan);
        if (session == null) {
            Executable executable = parameter.getDeclaringExecutable();
            throw new ParameterResolutionException("Cannot inject a component into " + describe(executable) + ": "
                    + (plan.lifecycle() == ConductorTest.Lifecycle.PER_METHOD
                            ? "with @ConductorTest(lifecycle = PER_METHOD) the components exist only around each test."
                                    + " Take it as a parameter of the test or of a @BeforeEach method, or use a field."
                            : "with @ConductorTest(lifecycle = PER_INVOCATION) the components exist only around each"
                                    + " invocation of the class. Take it as a parameter of a test or of a @BeforeEach"
                                    + " method, or use a field."));
        }
        return session.find(parameter.getParameter().getType(),
                "parameter " + parameter.getIndex() + " of " + describe(parameter.getDeclaringExecutable()));
    }

    private static String describe(Executable executable) {
        return executable instanceof Method
                ? executable.getDeclaringClass().getSimpleName() + "." + executable.getName() + "()"
                : "the constructor of " + executable.getDeclaringClass().getSimpleName();
    }
}
