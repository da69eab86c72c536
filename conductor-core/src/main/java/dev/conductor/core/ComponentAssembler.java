package dev.conductor.core;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates components from their classes for the {@link Conductor} facade: one instance per implementation
 * class, constructor parameters and component-typed fields resolved by type, patches applied. A dependency that
 * cannot be resolved yet through a field is kept pending and reported by {@link #graph}, so that setup reports
 * it before anything runs; one needed by a constructor is reported at once, since the instance cannot exist
 * without it.
 */
final class ComponentAssembler {

    private final Map<Class<?>, Class<?>> patches = new LinkedHashMap<>();

    /** Values the user provided by type: passed to constructors and fields, never set up or shut down. */
    private final Map<Class<?>, Object> values;

    private final Map<Class<?>, Assembled> byImplementation = new LinkedHashMap<>();

    private final Map<Component, Assembled> byInstance = new IdentityHashMap<>();

    private final List<PendingField> pendingFields = new ArrayList<>();

    /** One created component with the implementations it depends on. */
    private static final class Assembled {

        final Class<?> implementation;

        final Component instance;

        final Set<Class<?>> dependencies = new LinkedHashSet<>();

        Assembled(Class<?> implementation, Component instance) {
            this.implementation = implementation;
            this.instance = instance;
        }
    }

    private record PendingField(Assembled owner, Field field) {
    }

    /** A component added under a name of its own, with the component classes it depends on. */
    private record Named(String name, Component instance, List<Class<?>> dependencies) {
    }

    private final Map<String, Named> named = new LinkedHashMap<>();

    /** Makes the {@link FailureReporter} a component of the given class is given. */
    private final java.util.function.Function<Class<?>, FailureReporter> reporters;

    /** Gives a leader-only component of the given class its role's {@link Leadership}. */
    private final java.util.function.BiFunction<Class<?>, String, Leadership> leaderships;

    ComponentAssembler(Map<Class<?>, Object> values, java.util.function.Function<Class<?>, FailureReporter> reporters) {
        this(values, reporters, (type, where) -> null);
    }

    ComponentAssembler(Map<Class<?>, Object> values, java.util.function.Function<Class<?>, FailureReporter> reporters,
            java.util.function.BiFunction<Class<?>, String, Leadership> leaderships) {
        this.values = Map.copyOf(values);
        this.reporters = reporters;
        this.leaderships = leaderships;
    }

    /** The created components by implementation class, and those added under a name of their own. */
    Map<Class<?>, Component> instances() {
        Map<Class<?>, Component> instances = new LinkedHashMap<>();
        byImplementation.forEach((type, assembled) -> instances.put(type, assembled.instance));
        return instances;
    }

    /** The components added under a name of their own, by name. */
    Map<String, Component> namedInstances() {
        Map<String, Component> instances = new LinkedHashMap<>();
        named.forEach((name, one) -> instances.put(name, one.instance()));
        return instances;
    }

    /** The types {@code implementation} was patched in for. */
    List<Class<?>> patchedTypes(Class<?> implementation) {
        List<Class<?>> types = new ArrayList<>();
        patches.forEach((type, replacement) -> {
            if (replacement == implementation) {
                types.add(type);
            }
        });
        return types;
    }

    /** Whether an instance of this implementation class exists already. */
    boolean isKnown(Class<?> type) {
        Class<?> implementation = implementationIfKnown(type);
        return implementation != null && byImplementation.containsKey(implementation);
    }

    /** The existing instance for {@code type}, or {@code null} when it has not been created. */
    Component existing(Class<?> type) {
        Class<?> implementation = implementationIfKnown(type);
        Assembled assembled = implementation == null ? null : byImplementation.get(implementation);
        return assembled == null ? null : assembled.instance;
    }

    /**
     * Takes an instance under a name of its own (two instances of one class, or {@code Component.of(...)}):
     * nothing depends on it by type; it depends on the given component classes, created here if need be.
     */
    Component addNamed(String name, Component instance, List<Class<? extends Component>> dependencies) {
        Named existing = named.get(name);
        if (existing != null) {
            if (existing.instance() == instance) {
                return instance;
            }
            throw new IllegalStateException("A component named '" + name + "' was already added: give each named"
                    + " component its own name");
        }
        if (byInstance.containsKey(instance)) {
            throw new IllegalStateException("This " + instance.getClass().getSimpleName() + " instance was already"
                    + " added under its class: add it once");
        }
        List<Class<?>> resolved = new ArrayList<>();
        for (Class<? extends Component> dependency : dependencies) {
            resolved.add(byInstance.get(resolve(dependency, new ArrayDeque<>(), "'" + name + "'")).implementation);
        }
        injectPendingFields(false);
        named.put(name, new Named(name, instance, List.copyOf(resolved)));
        return instance;
    }

    /** The instance added under {@code name}, or {@code null}. */
    Component named(String name) {
        Named found = named.get(name);
        return found == null ? null : found.instance();
    }

    /** Takes an instance the user created: it is set up and shut down like the others. */
    Component addInstance(Component instance) {
        Class<?> type = instance.getClass();
        Assembled existing = byImplementation.get(type);
        if (existing != null) {
            if (existing.instance == instance) {
                return instance;
            }
            throw new IllegalStateException("Cannot add this " + type.getSimpleName() + " instance: an instance of "
                    + type.getSimpleName() + " was already added or created, and Conductor keeps one instance per"
                    + " class. Add your instance before anything needs " + type.getSimpleName() + ".");
        }
        for (Map.Entry<Class<?>, Class<?>> patch : patches.entrySet()) {
            if (patch.getKey().isInstance(instance) && patch.getValue() != type) {
                throw new IllegalStateException("Cannot add this " + type.getSimpleName() + " instance: "
                        + patch.getKey().getSimpleName() + " is patched with " + patch.getValue().getSimpleName()
                        + ". Remove the patch, or add an instance of the replacement.");
            }
        }
        Assembled assembled = new Assembled(type, instance);
        byImplementation.put(type, assembled);
        byInstance.put(instance, assembled);
        injectFields(assembled);
        injectPendingFields(false);
        return instance;
    }

    <T extends Component> void patch(Class<T> type, Class<? extends T> replacement) {
        if (!type.isAssignableFrom(replacement)) {
            throw new IllegalArgumentException("Cannot patch " + type.getName() + " with " + replacement.getName()
                    + ": the replacement must be a subtype of the patched type");
        }
        requireInstantiable(replacement, "the replacement for " + type.getSimpleName());
        Class<?> current = implementationIfKnown(type);
        if (current != null && byImplementation.containsKey(current) && current != replacement) {
            throw new IllegalStateException("Cannot patch " + type.getSimpleName() + ": " + current.getSimpleName()
                    + " was already created by add(). Call patch() before add().");
        }
        patches.put(type, replacement);
    }

    Component add(Class<? extends Component> type) {
        Component instance = resolve(type, new ArrayDeque<>(), null);
        injectPendingFields(false);
        return instance;
    }

    /**
     * The graph of everything added so far.
     *
     * @throws ComponentGraphException when a field dependency still has no implementation, or on a cycle
     */
    ComponentGraph graph(Map<Class<?>, Duration> setupTimeouts,
            Map<Class<?>, Duration> shutdownTimeouts) {
        injectPendingFields(true);
        Map<Class<?>, String> names = names();
        ComponentGraph.Builder graph = ComponentGraph.builder();
        for (Assembled assembled : byImplementation.values()) {
            Set<String> dependencies = new LinkedHashSet<>();
            assembled.dependencies.forEach(dependency -> dependencies.add(names.get(dependency)));
            graph.add(new ComponentDefinition(names.get(assembled.implementation), assembled.instance, dependencies,
                    timeoutFor(assembled.implementation, setupTimeouts),
                    timeoutFor(assembled.implementation, shutdownTimeouts)));
        }
        for (Named one : named.values()) {
            Set<String> dependencies = new LinkedHashSet<>();
            one.dependencies().forEach(dependency -> dependencies.add(names.get(dependency)));
            graph.add(new ComponentDefinition(one.name(), one.instance(), dependencies, null, null));
        }
        return graph.build();
    }

    private Duration timeoutFor(Class<?> implementation, Map<Class<?>, Duration> timeouts) {
        Duration own = timeouts.get(implementation);
        if (own != null) {
            return own;
        }
        for (Map.Entry<Class<?>, Class<?>> patch : patches.entrySet()) {
            if (patch.getValue() == implementation && timeouts.containsKey(patch.getKey())) {
                return timeouts.get(patch.getKey());
            }
        }
        return null;
    }

    /**
     * The name of each component: the simple name of the type it is known by (the patched type for a replacement,
     * otherwise its class), or the full name where two components would share a simple name.
     */
    Map<Class<?>, String> names() {
        Map<Class<?>, Class<?>> knownAs = new HashMap<>();
        for (Class<?> type : byImplementation.keySet()) {
            knownAs.put(type, type);
        }
        for (Map.Entry<Class<?>, Class<?>> patch : patches.entrySet()) {
            if (knownAs.get(patch.getValue()) == patch.getValue() && patch.getKey() != patch.getValue()) {
                knownAs.put(patch.getValue(), patch.getKey());
            }
        }
        Map<String, Integer> counts = new HashMap<>();
        knownAs.values().forEach(type -> counts.merge(type.getSimpleName(), 1, Integer::sum));
        Map<Class<?>, String> names = new HashMap<>();
        for (Class<?> type : byImplementation.keySet()) {
            Class<?> known = knownAs.get(type);
            String simple = known.getSimpleName();
            names.put(type, simple.isEmpty() || counts.get(simple) > 1 ? known.getName() : simple);
        }
        return names;
    }

    private Component resolve(Class<?> requested, Deque<Class<?>> constructing, String neededBy) {
        Class<?> implementation = implementationOf(requested, neededBy);
        Assembled existing = byImplementation.get(implementation);
        if (existing != null) {
            return existing.instance;
        }
        if (constructing.contains(implementation)) {
            List<String> cycle = new ArrayList<>();
            for (Iterator<Class<?>> it = constructing.descendingIterator(); it.hasNext(); ) {
                cycle.add(it.next().getSimpleName());
            }
            cycle = cycle.subList(cycle.indexOf(implementation.getSimpleName()), cycle.size());
            throw ComponentGraphException.cycle(cycle);
        }
        constructing.push(implementation);
        Constructor<?> constructor = constructorOf(implementation);
        Class<?>[] parameterTypes = constructor.getParameterTypes();
        Object[] arguments = new Object[parameterTypes.length];
        for (int i = 0; i < parameterTypes.length; i++) {
            if (Component.class.isAssignableFrom(parameterTypes[i])) {
                arguments[i] = resolve(parameterTypes[i], constructing, implementation.getSimpleName());
                continue;
            }
            String where = "Constructor parameter " + (i + 1) + " of " + implementation.getSimpleName();
            arguments[i] = parameterTypes[i] == FailureReporter.class ? reporters.apply(implementation)
                    : parameterTypes[i] == Leadership.class ? leaderships.apply(implementation, where)
                    : value(parameterTypes[i], where);
            if (arguments[i] == null) {
                throw ComponentGraphException.of(where + " is a " + parameterTypes[i].getSimpleName()
                        + ", which is neither a Component nor a value provided to the conductor. Provide one:"
                        + " Conductor.builder().provide(" + parameterTypes[i].getSimpleName() + ".class, value)."
                                                , implementation.getSimpleName());
            }
        }
        constructing.pop();
        Assembled assembled = new Assembled(implementation, instantiate(constructor, arguments));
        for (Object argument : arguments) {
            if (argument instanceof Component component && byInstance.containsKey(component)) {
                assembled.dependencies.add(byInstance.get(component).implementation);
            }
        }
        byImplementation.put(implementation, assembled);
        byInstance.put(assembled.instance, assembled);
        injectFields(assembled);
        return assembled.instance;
    }

    /** Queues the component-typed fields for injection and injects provided values into empty fields. */
    private void injectFields(Assembled assembled) {
        for (Class<?> type = assembled.implementation; type != null && type != Object.class;
                type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.isSynthetic()) {
                    continue;
                }
                if (field.getType() != Component.class && Component.class.isAssignableFrom(field.getType())) {
                    pendingFields.add(new PendingField(assembled, field));
                }
                else if (field.getType() == FailureReporter.class && !Modifier.isFinal(field.getModifiers())) {
                    if (read(field, assembled.instance) == null) {
                        write(field, assembled.instance, reporters.apply(assembled.implementation));
                    }
                }
                else if (field.getType() == Leadership.class && !Modifier.isFinal(field.getModifiers())) {
                    if (read(field, assembled.instance) == null) {
                        write(field, assembled.instance, leaderships.apply(assembled.implementation, "Field '"
                                + field.getName() + "' of " + assembled.implementation.getSimpleName()));
                    }
                }
                else if (!values.isEmpty() && !Modifier.isFinal(field.getModifiers())) {
                    String where = "Field '" + field.getName() + "' of " + assembled.implementation.getSimpleName();
                    Object value = value(field.getType(), where);
                    if (value != null && read(field, assembled.instance) == null) {
                        write(field, assembled.instance, value);
                    }
                }
            }
        }
    }

    /**
     * The provided value for a type: the one provided for exactly that type, or else the only one assignable to
     * it; {@code null} when none is.
     */
    private Object value(Class<?> type, String where) {
        if (values.containsKey(type)) {
            return values.get(type);
        }
        if (type.isPrimitive() || type == Object.class) {
            return null;
        }
        Object found = null;
        List<String> candidates = new ArrayList<>();
        for (Map.Entry<Class<?>, Object> value : values.entrySet()) {
            if (type.isAssignableFrom(value.getKey())) {
                found = value.getValue();
                candidates.add(value.getKey().getSimpleName());
            }
        }
        if (candidates.size() > 1) {
            throw ComponentGraphException.of(where + " is a " + type.getSimpleName() + ", and " + candidates.size()
                    + " provided values are: " + String.join(", ", candidates) + ". Provide one for "
                    + type.getSimpleName() + " itself.", where);
        }
        return found;
    }

    private void injectPendingFields(boolean required) {
        List<PendingField> stillPending = new ArrayList<>();
        try {
            while (!pendingFields.isEmpty()) {
                injectFirstPending(required, stillPending);
            }
        }
        finally {
            // on an error, what is left stays pending, so that the next add() or setup() reports it again
            pendingFields.addAll(stillPending);
        }
    }

    private void injectFirstPending(boolean required, List<PendingField> stillPending) {
        PendingField pending = pendingFields.get(0);
        Assembled owner = pending.owner();
        Field field = pending.field();
        Object value = read(field, owner.instance);
        if (value != null) {
            Assembled dependency = byInstance.get(value);
            if (dependency == null) {
                throw ComponentGraphException.of("Field '" + field.getName() + "' of "
                        + owner.implementation.getSimpleName() + " already holds a "
                        + value.getClass().getSimpleName() + " that Conductor did not create (a field"
                        + " initializer, or the constructor made it): it would never be set up or shut down,"
                        + " and nothing would order it. Leave the field empty for Conductor to inject, take it"
                        + " as a constructor parameter, or add your instance first with"
                        + " conductor.add(instance).", owner.implementation.getSimpleName());
            }
            if (dependency != owner) {
                owner.dependencies.add(dependency.implementation);
            }
            pendingFields.remove(0);
            return;
        }
        if (!required && implementationIfKnown(field.getType()) == null) {
            stillPending.add(pendingFields.remove(0));
            return;
        }
        Component dependency = resolve(field.getType(), new ArrayDeque<>(),
                owner.implementation.getSimpleName() + " (field '" + field.getName() + "')");
        write(field, owner.instance, dependency);
        owner.dependencies.add(byInstance.get(dependency).implementation);
        pendingFields.remove(pending);
    }

    private Class<?> implementationOf(Class<?> requested, String neededBy) {
        Class<?> implementation = implementationIfKnown(requested);
        if (implementation == null && (requested.isInterface() || Modifier.isAbstract(requested.getModifiers()))) {
            List<String> candidates = new ArrayList<>();
            for (Class<?> candidate : byImplementation.keySet()) {
                if (requested.isAssignableFrom(candidate)) {
                    candidates.add(candidate.getSimpleName());
                }
            }
            if (candidates.size() > 1) {
                List<String> named = new ArrayList<>(candidates);
                named.add(0, requested.getSimpleName());
                throw ComponentGraphException.of("Ambiguous dependency on " + requested.getSimpleName()
                        + (neededBy == null ? "" : ", needed by " + neededBy) + ": " + candidates.size()
                        + " added components implement it (" + String.join(", ", candidates) + "). Patch it with"
                        + " the one to use: conductor.patch(" + requested.getSimpleName() + ".class, "
                        + candidates.get(0) + ".class), or ask for the implementation class itself.",
                        named.toArray(String[]::new));
            }
        }
        if (implementation == null) {
            throw ComponentGraphException.of("No implementation of " + requested.getSimpleName()
                    + (neededBy == null ? "" : ", needed by " + neededBy) + ": it is "
                    + (requested.isInterface() ? "an interface" : "abstract") + ". Patch it with an implementation:"
                    + " conductor.patch(" + requested.getSimpleName() + ".class, YourImplementation.class), or add"
                    + " an implementation first with conductor.add(YourImplementation.class).",
                    requested.getSimpleName());
        }
        return implementation;
    }

    /** The patch, the class itself when concrete, or the one added implementation of an abstract type. */
    private Class<?> implementationIfKnown(Class<?> requested) {
        Class<?> patched = patches.get(requested);
        if (patched != null) {
            return patched;
        }
        if (!requested.isInterface() && !Modifier.isAbstract(requested.getModifiers())) {
            return requested;
        }
        Class<?> found = null;
        for (Class<?> candidate : byImplementation.keySet()) {
            if (requested.isAssignableFrom(candidate)) {
                if (found != null) {
                    return null;
                }
                found = candidate;
            }
        }
        return found;
    }

    private static void requireInstantiable(Class<?> type, String role) {
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            throw new IllegalArgumentException(type.getName() + " cannot be " + role
                    + ": it is " + (type.isInterface() ? "an interface" : "abstract"));
        }
    }

    private static Constructor<?> constructorOf(Class<?> type) {
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            throw ComponentGraphException.of(type.getSimpleName() + " is an inner class, so it needs an instance"
                    + " of " + type.getDeclaringClass().getSimpleName() + " to be created: declare it static.",
                    type.getSimpleName());
        }
        Constructor<?>[] constructors = type.getDeclaredConstructors();
        Constructor<?> chosen = null;
        if (constructors.length == 1) {
            chosen = constructors[0];
        }
        else {
            for (Constructor<?> constructor : constructors) {
                if (constructor.getParameterCount() == 0) {
                    chosen = constructor;
                }
            }
        }
        if (chosen == null) {
            throw ComponentGraphException.of(type.getSimpleName() + " has " + constructors.length
                    + " constructors and none without parameters, so Conductor cannot tell which to use. Give it"
                    + " a single constructor.", type.getSimpleName());
        }
        try {
            chosen.setAccessible(true);
        }
        catch (RuntimeException inaccessible) {
            throw new ConductorException("Cannot create " + type.getName() + ": its constructor is not accessible"
                    + " (" + inaccessible.getMessage() + "). Open its package to dev.conductor.core.", inaccessible);
        }
        return chosen;
    }

    private static Component instantiate(Constructor<?> constructor, Object[] arguments) {
        String name = constructor.getDeclaringClass().getSimpleName();
        try {
            return (Component) constructor.newInstance(arguments);
        }
        catch (InvocationTargetException ex) {
            throw new ConductorException("Could not create component " + name + ": its constructor threw "
                    + ex.getCause(), ex.getCause());
        }
        catch (ReflectiveOperationException ex) {
            throw new ConductorException("Could not create component " + name + ": " + ex, ex);
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            throw new ConductorException("Cannot read field '" + field.getName() + "' of "
                    + owner.getClass().getSimpleName() + ": " + ex.getMessage()
                    + ". Open its package to dev.conductor.core, or declare the dependency in the constructor.", ex);
        }
    }

    private static void write(Field field, Object owner, Object value) {
        try {
            field.set(owner, value);
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            throw new ConductorException("Cannot inject field '" + field.getName() + "' of "
                    + owner.getClass().getSimpleName() + ": " + ex.getMessage()
                    + ". Make the field non-final, or declare the dependency in the constructor.", ex);
        }
    }
}
