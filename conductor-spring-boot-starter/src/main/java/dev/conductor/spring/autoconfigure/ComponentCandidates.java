package dev.conductor.spring.autoconfigure;

import dev.conductor.spring.ConductorComponent;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.MethodMetadata;
import org.springframework.util.ClassUtils;

/**
 * Rules a bean out as a component from the metadata Spring read when it registered the bean definition, where that
 * metadata is enough to be sure: the annotations of a {@code @Bean} method or of a configuration or scanned class,
 * which the class-path scan and the configuration class parser read from the class files. Looking the annotation up
 * with {@code findAnnotationOnBean} instead reads every such class's and method's annotations by reflection, and
 * on a cold JVM that costs milliseconds for an application's few dozen auto-configured beans, all of which are ruled
 * out here. Only the bean's type (the {@code @Bean} method's return type) and a class's supertypes are still read
 * by reflection.
 *
 * <p>Whatever is not ruled out here is looked up as before, so the answer is the same: a bean defined otherwise
 * (by a registrar, a {@code registerBean} call, AOT's generated code), a {@code FactoryBean}, a {@code @Bean} method
 * that may override or be inherited from another method, an instance whose class is not the one defined.
 */
final class ComponentCandidates {

    private static final String ANNOTATION = ConductorComponent.class.getName();

    /**
     * The answers given for each bean factory, by bean name: the definition they were given for, and the answer.
     * Weak keys, and the definitions weakly referenced (one may hold its context, and so the key): a closed
     * context's bean factory is not kept.
     */
    private static final Map<ConfigurableListableBeanFactory, Map<String, Answer>> answers = new WeakHashMap<>();

    private ComponentCandidates() {
    }

    /**
     * Whether the bean defined as {@code name} in this bean factory is certainly not a {@link ConductorComponent}:
     * {@code findAnnotationOnBean(name, ConductorComponent.class, false)} would find none. {@code false} when the
     * metadata cannot tell.
     *
     * <p>The validator, early start and the callbacks' post-processor (for every bean it sees created) all ask, before
     * the beans exist; on a cold JVM each walk over an application's few hundred definitions costs milliseconds. So
     * the answer for a definition is kept, and given again for the same definition object, as long as the bean has
     * no instance: until then the answer rests on the definition alone (the type the bean factory predicts from it).
     * Once there is an instance, its class may say more, and the answer is worked out again each time.
     */
    static boolean ruledOut(ConfigurableListableBeanFactory beanFactory, String name) {
        BeanDefinition definition = beanFactory.getBeanDefinition(name);
        if (beanFactory.containsSingleton(name)) {
            return ruledOut(beanFactory, name, definition);
        }
        Map<String, Answer> known;
        synchronized (answers) {
            known = answers.computeIfAbsent(beanFactory, factory -> new ConcurrentHashMap<>());
        }
        Answer answer = known.get(name);
        if (answer == null || answer.definition().get() != definition) {
            answer = new Answer(new WeakReference<>(definition), ruledOut(beanFactory, name, definition));
            known.put(name, answer);
        }
        return answer.ruledOut();
    }

    private static boolean ruledOut(ConfigurableListableBeanFactory beanFactory, String name,
            BeanDefinition definition) {
        if (!(definition instanceof AnnotatedBeanDefinition annotated)) {
            return false;
        }
        MethodMetadata method = annotated.getFactoryMethodMetadata();
        if (method != null && declaredBySpring(method)) {
            return true;
        }
        if (beanFactory.isFactoryBean(name)) {
            return false;
        }
        AnnotationMetadata type = annotated.getMetadata();
        if (method != null) {
            return beanMethodRuledOut(beanFactory, name, type, method);
        }
        if (type.isAnnotated(ANNOTATION) || !definedClassIsTheType(beanFactory, name, type.getClassName())) {
            return false;
        }
        // the class's own annotations are in its metadata; the supertypes' are not
        if (carriesAnnotation(beanFactory, type.getSuperClassName())) {
            return false;
        }
        for (String supertype : type.getInterfaceNames()) {
            if (carriesAnnotation(beanFactory, supertype)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A {@code @Bean} method of Spring's own (an auto-configuration's: most of an application's beans), which
     * declares neither the annotation nor a type that may carry it: Spring's code knows no application class. An
     * instance of an annotated class that such a method might still return (from an application's bean, say) is
     * seen when it is created ({@link ComponentAnnotations#instanceAnnotation}). This spares the type prediction
     * and the annotation search for each of those beans on a cold JVM.
     */
    private static boolean declaredBySpring(MethodMetadata method) {
        return SpringCode.isSpringCode(method.getDeclaringClassName()) && !method.isAnnotated(ANNOTATION);
    }

    /**
     * A {@code @Bean} method's bean: the method's own annotations are in its metadata, but the bean's type (what
     * the method returns, or the instance once there is one) still needs a look. A method that may override one
     * of a supertype (whose annotations a lookup on the method finds too) is not ruled out.
     */
    private static boolean beanMethodRuledOut(ConfigurableListableBeanFactory beanFactory, String name,
            AnnotationMetadata configuration, MethodMetadata method) {
        if (method.isAnnotated(ANNOTATION) || !configuration.getClassName().equals(method.getDeclaringClassName())
                || configuration.getInterfaceNames().length != 0 || hasSuperclass(configuration)) {
            return false;
        }
        Class<?> beanType = beanFactory.getType(name, false);
        if (beanType != null && MergedAnnotations.from(beanType, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                .isPresent(ConductorComponent.class)) {
            return false;
        }
        // the type the method declares, when the instance's is another (an interface-based proxy of it)
        return beanType == null || beanType.getName().equals(method.getReturnTypeName())
                || !carriesAnnotation(beanFactory, method.getReturnTypeName());
    }

    /**
     * Whether the type the bean factory gives the bean (the instance's once there is one) is the class defined, or
     * a subclass generated from it (a configuration class's, a class-based proxy's), which adds no annotation.
     */
    private static boolean definedClassIsTheType(ConfigurableListableBeanFactory beanFactory, String name,
            String className) {
        Class<?> type = beanFactory.getType(name, false);
        return type == null || ClassUtils.getUserClass(type).getName().equals(className);
    }

    private static boolean hasSuperclass(AnnotationMetadata type) {
        String superclass = type.getSuperClassName();
        return superclass != null && !superclass.equals(Object.class.getName());
    }

    /** The answer given for a bean definition. */
    private record Answer(WeakReference<BeanDefinition> definition, boolean ruledOut) {
    }

    /** Whether the named supertype or any of its own carries the annotation; a type that cannot be loaded may. */
    private static boolean carriesAnnotation(ConfigurableListableBeanFactory beanFactory, @Nullable String typeName) {
        if (typeName == null || typeName.startsWith("java.")) {
            return false; // the JDK's types: Spring's own search skips them too
        }
        try {
            Class<?> type = ClassUtils.forName(typeName, beanFactory.getBeanClassLoader());
            return MergedAnnotations.from(type, MergedAnnotations.SearchStrategy.TYPE_HIERARCHY)
                    .isPresent(ConductorComponent.class);
        }
        catch (ClassNotFoundException | LinkageError ex) {
            return true; // not ruled out: the lookup decides
        }
    }
}
