package dev.conductor.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.spring.ConductorComponent;
import dev.conductor.spring.autoconfigure.shapes.CandidateShapes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.beans.factory.annotation.AnnotatedGenericBeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link ComponentCandidates} rules beans out as components from their definitions' metadata; whatever it rules
 * out, the lookup by reflection ({@code findAnnotationOnBean}) must find no {@code @ConductorComponent} on, before
 * any singleton exists and once they all do, for every shape of bean in {@link CandidateShapes}.
 */
class ComponentCandidatesTests {

    /**
     * The components among the shapes, by bean name (a scanned class's is {@code candidateShapes.<its name>}), as the
     * lookup finds them once every instance exists.
     */
    private static final Set<String> COMPONENTS = Set.of("candidateShapes.AnnotatedComponent",
            "candidateShapes.MetaAnnotatedComponent", "candidateShapes.SubclassOfAnnotatedBase",
            "candidateShapes.ImplementsAnnotatedInterface", "annotatedMethod", "metaAnnotatedMethod",
            "returnsAnnotatedClass", "returnsAnAnnotatedInstance", "factoryOfAnAnnotatedThing", "inheritedComponent",
            "overriddenComponent", "registeredAnnotatedThing");

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConductorAutoConfiguration.class))
            .withUserConfiguration(CandidateShapes.Scan.class, BeforeAnySingleton.class)
            .withBean("registeredAnnotatedThing", CandidateShapes.AnnotatedThing.class,
                    CandidateShapes.AnnotatedThing::new);

    @Test
    void whatTheMetadataRulesOutHasNoComponentAnnotationBeforeAnySingletonExists() {
        contextRunner.run(context -> {
            assertThat(context).hasNotFailed();
            Map<String, Boolean> before = context.getBean(RuledOutRecorder.class).ruledOut;
            assertThat(before).containsKeys("candidateShapes.PlainBean", "plainThing");
            before.forEach((name, noAnnotation) -> assertThat(noAnnotation).as(name).isTrue());
        });
    }

    @Test
    void whatTheMetadataRulesOutHasNoComponentAnnotationOnceEverySingletonExists() {
        contextRunner.run(context -> {
            ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
            for (String name : beanFactory.getBeanDefinitionNames()) {
                if (ComponentCandidates.ruledOut(beanFactory, name)) {
                    assertThat(beanFactory.findAnnotationOnBean(name, ConductorComponent.class, false)).as(name)
                            .isNull();
                }
            }
        });
    }

    @Test
    void theComponentsAreThoseTheLookupFinds() {
        contextRunner.run(context -> {
            ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
            Set<String> lookedUp = new TreeSet<>();
            for (String name : beanFactory.getBeanDefinitionNames()) {
                if (beanFactory.findAnnotationOnBean(name, ConductorComponent.class, false) != null) {
                    lookedUp.add(name);
                }
            }
            assertThat(lookedUp).containsExactlyInAnyOrderElementsOf(COMPONENTS);
            assertThat(ComponentBeans.definedComponents(beanFactory).keySet())
                    .containsExactlyInAnyOrderElementsOf(COMPONENTS);
            assertThat(context.getBean(ConductorLifecycle.class).getEngine().graph().names())
                    .containsExactlyInAnyOrderElementsOf(COMPONENTS);
        });
    }

    @Test
    void plainBeansOfScannedAndConfigurationClassesAreRuledOutFromTheirMetadata() {
        contextRunner.run(context -> {
            ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
            for (String name : new String[] { "candidateShapes.PlainBean", "candidateShapes.ImplementsPlainInterface",
                    "candidateShapes.BeanMethods", "plainThing", "returnsAPlainInstance" }) {
                assertThat(ComponentCandidates.ruledOut(beanFactory, name)).as(name).isTrue();
            }
        });
    }

    @Test
    void springsOwnBeanMethodsAreRuledOutByTheirDeclaringClassAlone() {
        contextRunner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class)).run(context -> {
            ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
            String[] executors = beanFactory.getBeanNamesForType(ThreadPoolTaskExecutor.class);
            assertThat(executors).isNotEmpty();
            for (String name : executors) {
                assertThat(ComponentCandidates.ruledOut(beanFactory, name)).as(name).isTrue();
                assertThat(beanFactory.findAnnotationOnBean(name, ConductorComponent.class, false)).as(name).isNull();
            }
        });
    }

    @Test
    void beansTheMetadataCannotTellAboutAreLeftToTheLookup() {
        contextRunner.run(context -> {
            ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
            // a factory's product, an instance registered by a supplier, bean methods inherited or overriding
            for (String name : new String[] { "factoryOfAnAnnotatedThing", "registeredAnnotatedThing",
                    "inheritedThing", "ownThing" }) {
                assertThat(ComponentCandidates.ruledOut(beanFactory, name)).as(name).isFalse();
            }
        });
    }

    /** Records, as a bean factory post-processor, which beans the metadata rules out before any bean exists. */
    @Test
    void anAnswerIsGivenAgainOnlyForTheSameDefinitionOfABeanWithoutAnInstance() {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        beanFactory.registerBeanDefinition("thing", new AnnotatedGenericBeanDefinition(CandidateShapes.PlainBean.class));
        assertThat(ComponentCandidates.ruledOut(beanFactory, "thing")).isTrue();
        assertThat(ComponentCandidates.ruledOut(beanFactory, "thing")).as("asked again").isTrue();
        // replaced under the same name (as a test's bean override does): the count of definitions stays the same
        beanFactory.registerBeanDefinition("thing",
                new AnnotatedGenericBeanDefinition(CandidateShapes.AnnotatedComponent.class));
        assertThat(beanFactory.getBeanDefinitionCount()).isOne();
        assertThat(ComponentCandidates.ruledOut(beanFactory, "thing")).as("the replacement is a component").isFalse();
        assertThat(ComponentBeans.definedComponents(beanFactory)).containsOnlyKeys("thing");
    }

    @Test
    void anAnswerKeptForABeanFactoryIsNotGivenForAnother() {
        for (Class<?> type : List.of(CandidateShapes.AnnotatedComponent.class, CandidateShapes.PlainBean.class)) {
            DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
            beanFactory.registerBeanDefinition("thing", new AnnotatedGenericBeanDefinition(type));
            assertThat(ComponentCandidates.ruledOut(beanFactory, "thing")).as(type.getSimpleName())
                    .isEqualTo(type == CandidateShapes.PlainBean.class);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class BeforeAnySingleton {

        @Bean
        static RuledOutRecorder ruledOutRecorder() {
            return new RuledOutRecorder();
        }
    }

    /** For each bean ruled out: whether the lookup finds no annotation on it either. */
    static final class RuledOutRecorder implements BeanFactoryPostProcessor {

        final Map<String, Boolean> ruledOut = new LinkedHashMap<>();

        @Override
        public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
            for (String name : beanFactory.getBeanDefinitionNames()) {
                if (ComponentCandidates.ruledOut(beanFactory, name)) {
                    ruledOut.put(name, beanFactory.findAnnotationOnBean(name, ConductorComponent.class, false) == null);
                }
            }
        }
    }
}
