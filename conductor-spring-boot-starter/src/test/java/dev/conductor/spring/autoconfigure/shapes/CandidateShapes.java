package dev.conductor.spring.autoconfigure.shapes;

import dev.conductor.core.Component;
import dev.conductor.spring.ConductorComponent;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/**
 * Every shape in which a bean can be (or not be) a {@code @ConductorComponent}, for the tests of
 * {@code ComponentCandidates}: the classes marked {@link Shape} are picked up by a component scan, so that their
 * bean definitions carry the metadata Spring reads from class files, as an application's do.
 */
public final class CandidateShapes {

    private CandidateShapes() {
    }

    /** What the scan picks up. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface Shape {
    }

    /** An annotation of the application's own that is a {@code @ConductorComponent}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ ElementType.TYPE, ElementType.METHOD })
    @ConductorComponent
    public @interface OwnComponent {
    }

    /** Scans the {@link Shape}s. */
    @Configuration(proxyBeanMethods = false)
    @ComponentScan(basePackageClasses = CandidateShapes.class, useDefaultFilters = false,
            includeFilters = @ComponentScan.Filter(Shape.class))
    public static class Scan {
    }

    @Shape
    public static class PlainBean {
    }

    @Shape
    @ConductorComponent
    public static class AnnotatedComponent implements Component {
    }

    @Shape
    @OwnComponent
    public static class MetaAnnotatedComponent implements Component {
    }

    @ConductorComponent
    public abstract static class AnnotatedBase implements Component {
    }

    @Shape
    public static class SubclassOfAnnotatedBase extends AnnotatedBase {
    }

    @ConductorComponent
    public interface AnnotatedInterface extends Component {
    }

    @Shape
    public static class ImplementsAnnotatedInterface implements AnnotatedInterface {
    }

    public interface PlainInterface {
    }

    @Shape
    public static class ImplementsPlainInterface implements PlainInterface {
    }

    public static class Thing {
    }

    public static class ComponentThing implements Component {
    }

    @ConductorComponent
    public static class AnnotatedThing implements Component {
    }

    /** A configuration class: its instance is a subclass generated from it. */
    @Shape
    @Configuration
    public static class BeanMethods {

        @Bean
        Thing plainThing() {
            return new Thing();
        }

        @Bean
        @ConductorComponent
        ComponentThing annotatedMethod() {
            return new ComponentThing();
        }

        @Bean
        @OwnComponent
        ComponentThing metaAnnotatedMethod() {
            return new ComponentThing();
        }

        @Bean
        AnnotatedThing returnsAnnotatedClass() {
            return new AnnotatedThing();
        }

        /** Known to be a component only once the instance exists. */
        @Bean
        Component returnsAnAnnotatedInstance() {
            return new AnnotatedThing();
        }

        @Bean
        Object returnsAPlainInstance() {
            return new Thing();
        }

        @Bean
        FactoryBean<AnnotatedThing> factoryOfAnAnnotatedThing() {
            return new FactoryBean<>() {

                @Override
                public AnnotatedThing getObject() {
                    return new AnnotatedThing();
                }

                @Override
                public Class<?> getObjectType() {
                    return AnnotatedThing.class;
                }
            };
        }
    }

    /** Not scanned: its bean methods are inherited or overridden by {@link InheritedBeanMethods}. */
    @Configuration(proxyBeanMethods = false)
    public static class BaseBeanMethods {

        @Bean
        @ConductorComponent
        ComponentThing inheritedComponent() {
            return new ComponentThing();
        }

        @Bean
        @ConductorComponent
        ComponentThing overriddenComponent() {
            return new ComponentThing();
        }

        @Bean
        Thing inheritedThing() {
            return new Thing();
        }
    }

    @Shape
    @Configuration(proxyBeanMethods = false)
    public static class InheritedBeanMethods extends BaseBeanMethods {

        /** Not annotated here: a lookup on the method finds the annotation of the method it overrides. */
        @Bean
        @Override
        ComponentThing overriddenComponent() {
            return new ComponentThing();
        }

        @Bean
        Thing ownThing() {
            return new Thing();
        }
    }
}
