package dev.conductor.test.blackbox;

import static dev.conductor.test.blackbox.Parts.SEEN;
import static dev.conductor.test.blackbox.Parts.created;
import static dev.conductor.test.blackbox.Parts.describe;
import static dev.conductor.test.blackbox.Parts.run;
import static dev.conductor.test.blackbox.Parts.setups;
import static dev.conductor.test.blackbox.Parts.shutdowns;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conductor.test.ConductorTest;
import dev.conductor.test.Patch;
import dev.conductor.test.blackbox.Parts.AbstractQueue;
import dev.conductor.test.blackbox.Parts.Cache;
import dev.conductor.test.blackbox.Parts.Database;
import dev.conductor.test.blackbox.Parts.EnglishGreeter;
import dev.conductor.test.blackbox.Parts.Extra;
import dev.conductor.test.blackbox.Parts.FrenchGreeter;
import dev.conductor.test.blackbox.Parts.Greeter;
import dev.conductor.test.blackbox.Parts.MessageQueue;
import dev.conductor.test.blackbox.Parts.MessageQueueMock;
import dev.conductor.test.blackbox.Parts.OtherQueueMock;
import dev.conductor.test.blackbox.Parts.Subject;
import dev.conductor.test.blackbox.Parts.WebApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Fields, parameters and patches. */
class InjectionBlackBoxTest {

    @BeforeEach
    void reset() {
        Parts.reset();
    }

    // ------------------------------------------------------------------ fields

    abstract static class BaseWithField {
        Database database;   // a superclass field joins the graph and is injected
    }

    @Subject
    @ConductorTest
    static class FieldsOnly extends BaseWithField {
        Cache cache;                       // joins the graph though components is empty
        static Extra staticExtra;          // static: ignored
        final Extra finalExtra = null;     // final: ignored

        @Test
        void fields() {
            assertThat(database).isNotNull();
            assertTrue(database.running());
            assertTrue(cache.running());
            assertThat(staticExtra).isNull();
            SEEN.put("ok", true);
        }
    }

    @Test
    void fieldsOfTheClassAndItsSuperclassesJoinTheGraphStaticAndFinalOnesDoNot() {
        EngineExecutionResults results = run(FieldsOnly.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsKey("ok");
        assertThat(setups(Database.class)).isEqualTo(1);
        assertThat(setups(Cache.class)).isEqualTo(1);
        assertThat(created(Extra.class)).isZero();
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class FieldAlreadyHoldsAValue {
        Cache cache = new Cache();

        @Test
        void test() {
            SEEN.put("ran", true);
        }
    }

    @Test
    void aFieldThatAlreadyHoldsAValueFailsTheClass() {
        EngineExecutionResults results = run(FieldAlreadyHoldsAValue.class);

        assertThat(SEEN).doesNotContainKey("ran");
        assertThat(results.allEvents().failed().count()).isPositive();
        assertThat(describe(results)).contains("cache");
    }

    @Subject
    @ConductorTest(components = Cache.class)
    static class FinalFieldKeepsItsValue {
        final Cache mine = new Cache();
        Cache injected;

        @Test
        void test() {
            assertThat(injected).isNotSameAs(mine);
            assertThat(mine.running()).isFalse();
            SEEN.put("ran", true);
        }
    }

    @Test
    void aFinalFieldKeepsItsOwnObject() {
        EngineExecutionResults results = run(FinalFieldKeepsItsValue.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsKey("ran");
    }

    // ------------------------------------------------------------------ parameters

    @Subject
    @ConductorTest(components = { MessageQueue.class, MessageQueueMock.class })
    static class ExactTypeWins {
        @Test
        void test(MessageQueue queue, MessageQueueMock mock) {
            assertThat(queue.getClass()).isEqualTo(MessageQueue.class);
            assertThat(mock.getClass()).isEqualTo(MessageQueueMock.class);
            SEEN.put("ran", true);
        }
    }

    @Test
    void aParameterNamingAComponentsOwnTypeExactlyIsNotAmbiguous() {
        EngineExecutionResults results = run(ExactTypeWins.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsKey("ran");
    }

    @Subject
    @ConductorTest(components = { EnglishGreeter.class, FrenchGreeter.class })
    static class AmbiguousSupertype {
        @Test
        void test(Greeter greeter) {
            SEEN.put("ran", true);
        }
    }

    @Test
    void aParameterMatchingTwoSubtypesFailsNamingThem() {
        EngineExecutionResults results = run(AmbiguousSupertype.class);

        assertThat(SEEN).doesNotContainKey("ran");
        assertThat(results.testEvents().failed().count()).isEqualTo(1);
        assertThat(describe(results)).contains("EnglishGreeter").contains("FrenchGreeter");
    }

    @Subject
    @ConductorTest(components = EnglishGreeter.class)
    static class SingleSubtype {
        @Test
        void test(Greeter greeter) {
            assertThat(greeter).isInstanceOf(EnglishGreeter.class);
            SEEN.put("ran", true);
        }
    }

    @Test
    void aParameterWithOneSubtypeInTheGraphReceivesIt() {
        EngineExecutionResults results = run(SingleSubtype.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsKey("ran");
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class NotAComponentOfTheTestSubject {
        @Test
        void test(Cache cache) {
            SEEN.put("ran", true);
        }
    }

    @Test
    void aParameterThatIsNotAComponentOfTheTestFailsTheTestAndDoesNotJoinTheGraph() {
        EngineExecutionResults results = run(NotAComponentOfTheTestSubject.class);

        assertThat(SEEN).doesNotContainKey("ran");
        assertThat(results.testEvents().failed().count()).isEqualTo(1);
        assertThat(created(Cache.class)).isZero();
        assertThat(describe(results)).contains("Cache");
    }

    // ------------------------------------------------------------------ patches

    @Subject
    @ConductorTest(components = WebApi.class)
    @Patch(type = MessageQueue.class, with = MessageQueueMock.class)
    static class Patched {
        MessageQueueMock mock;

        @Test
        void test(WebApi api, MessageQueue queue) {
            assertThat(api.queue).isSameAs(mock).isSameAs(queue);
            SEEN.put("ran", true);
        }
    }

    @Test
    void aPatchReplacesTheTypeEverywhereAndTheOriginalIsNeverCreated() {
        EngineExecutionResults results = run(Patched.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsKey("ran");
        assertThat(created(MessageQueue.class)).isZero();
        assertThat(created(MessageQueueMock.class)).isEqualTo(1);
        assertThat(shutdowns(MessageQueueMock.class)).isEqualTo(1);
    }

    @Subject
    @ConductorTest(components = WebApi.class)
    @Patch(type = MessageQueue.class, with = MessageQueueMock.class)
    @Patch(type = MessageQueue.class, with = OtherQueueMock.class)
    static class TwoPatchesOfOneType {
        @Test
        void test() {
            SEEN.put("ran", true);
        }
    }

    @Test
    void twoPatchesOfOneTypeFailTheClass() {
        EngineExecutionResults results = run(TwoPatchesOfOneType.class);

        assertThat(SEEN).doesNotContainKey("ran");
        assertThat(results.containerEvents().failed().count()).isPositive();
        assertThat(setups(WebApi.class)).isZero();
        assertThat(describe(results)).contains("MessageQueue");
    }

    @Subject
    @ConductorTest(components = WebApi.class)
    @Patch(type = MessageQueue.class, with = AbstractQueue.class)
    static class AbstractPatch {
        @Test
        void test() {
            SEEN.put("ran", true);
        }
    }

    @Test
    void aPatchWhoseReplacementIsNotConcreteFailsTheClassNamingIt() {
        EngineExecutionResults results = run(AbstractPatch.class);

        assertThat(SEEN).doesNotContainKey("ran");
        assertThat(results.containerEvents().failed().count()).isPositive();
        assertThat(describe(results)).contains("AbstractQueue");
    }

    abstract static class PatchedBase {
    }

    @Patch(type = MessageQueue.class, with = MessageQueueMock.class)
    abstract static class PatchingBase extends PatchedBase {
    }

    @Subject
    @ConductorTest(components = WebApi.class)
    static class InheritsPatch extends PatchingBase {
        @Test
        void test(WebApi api) {
            assertThat(api.queue).isInstanceOf(MessageQueueMock.class);
            SEEN.put("ran", true);
        }
    }

    @Test
    void aPatchOnASuperclassIsInherited() {
        EngineExecutionResults results = run(InheritsPatch.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsKey("ran");
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class NestedFieldAlreadyHoldsAValue {
        @Test
        void outer() {
            SEEN.put("outer", true);
        }

        @org.junit.jupiter.api.Nested
        class Inner {
            Cache cache = new Cache();

            @Test
            void inner() {
                SEEN.put("inner", true);
            }
        }
    }

    @Test
    void aNestedClassFieldThatAlreadyHoldsAValueFails() {
        EngineExecutionResults results = run(NestedFieldAlreadyHoldsAValue.class);

        assertThat(SEEN).doesNotContainKey("inner");
        assertThat(results.allEvents().failed().count()).isPositive();
        assertThat(describe(results)).contains("cache");
    }

    abstract static class BaseHoldingValue {
        Cache cache = new Cache();
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class SuperclassFieldAlreadyHoldsAValue extends BaseHoldingValue {
        @Test
        void test() {
            SEEN.put("ran", true);
        }
    }

    @Test
    void aSuperclassFieldThatAlreadyHoldsAValueFails() {
        EngineExecutionResults results = run(SuperclassFieldAlreadyHoldsAValue.class);

        assertThat(SEEN).doesNotContainKey("ran");
        assertThat(results.allEvents().failed().count()).isPositive();
        assertThat(describe(results)).contains("cache");
    }

    @Subject
    @ConductorTest(components = EnglishGreeter.class)
    static class InterfaceField {
        Greeter greeter;

        @Test
        void test(EnglishGreeter english) {
            assertThat(greeter).isSameAs(english);
            SEEN.put("ran", true);
        }
    }

    @Test
    void aFieldTypedWithAnInterfaceReceivesItsOneImplementation() {
        EngineExecutionResults results = run(InterfaceField.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsKey("ran");
        assertThat(setups(EnglishGreeter.class)).isEqualTo(1);
    }

    @Subject
    @ConductorTest
    static class SubclassAndSuperclassFields {
        MessageQueue queue;
        MessageQueueMock mock;

        @Test
        void test(MessageQueue queueParameter, MessageQueueMock mockParameter) {
            assertThat(queue.getClass()).isEqualTo(MessageQueue.class);
            assertThat(queueParameter).isSameAs(queue);
            assertThat(mockParameter).isSameAs(mock);
            SEEN.put("ran", true);
        }
    }

    @Test
    void fieldsOfAClassAndItsSubclassEachGetTheirOwnComponent() {
        EngineExecutionResults results = run(SubclassAndSuperclassFields.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsKey("ran");
    }

    @Subject
    @ConductorTest(components = WebApi.class)
    @Patch(type = MessageQueue.class, with = MessageQueueMock.class)
    @Patch(type = MessageQueue.class, with = MessageQueueMock.class)
    static class TheSamePatchTwice {
        @Test
        void test() {
            SEEN.put("ran", true);
        }
    }

    @Test
    void theSamePatchTwiceIsStillTwoPatchesOfOneType() {
        EngineExecutionResults results = run(TheSamePatchTwice.class);

        assertThat(SEEN).doesNotContainKey("ran");
        assertThat(results.containerEvents().failed().count()).isPositive();
    }

    @Subject
    @ConductorTest(components = Database.class)
    static class ConstructorAssignsNonFinalField {
        Database database;

        ConstructorAssignsNonFinalField(Database database) {
            this.database = database;
        }

        @Test
        void test(Database parameter) {
            assertThat(database).isSameAs(parameter);
            SEEN.put("perClass", true);
        }
    }

    @Subject
    @ConductorTest(components = Cache.class)
    @org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
    static class PerClassInstanceConstructorAssignsNonFinalField {
        Cache cache;

        PerClassInstanceConstructorAssignsNonFinalField(Cache cache) {
            this.cache = cache;
        }

        @Test
        void test(Cache parameter) {
            assertThat(cache).isSameAs(parameter);
            SEEN.put("perClassInstance", true);
        }
    }

    @Subject
    @ConductorTest(components = Database.class, lifecycle = ConductorTest.Lifecycle.PER_METHOD)
    static class PerMethodConstructorAssignsNonFinalField {
        Database database;

        PerMethodConstructorAssignsNonFinalField(Database database) {
            this.database = database;
        }

        @Test
        void test(Database parameter) {
            assertThat(database).isSameAs(parameter);
            SEEN.put("perMethod", true);
        }
    }

    @Test
    void aFieldTheConstructorFilledWithTheTestsOwnComponentIsAccepted() {
        EngineExecutionResults results = run(ConstructorAssignsNonFinalField.class,
                PerMethodConstructorAssignsNonFinalField.class, PerClassInstanceConstructorAssignsNonFinalField.class);

        assertThat(results.allEvents().failed().count()).as(describe(results)).isZero();
        assertThat(SEEN).containsOnlyKeys("perClass", "perMethod", "perClassInstance");
    }
}
