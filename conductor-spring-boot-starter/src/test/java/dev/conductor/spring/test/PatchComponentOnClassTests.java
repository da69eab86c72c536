package dev.conductor.spring.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.spring.test.Shop.Database;
import dev.conductor.spring.test.Shop.InMemoryQueue;
import dev.conductor.spring.test.Shop.Journal;
import dev.conductor.spring.test.Shop.MessageQueue;
import dev.conductor.spring.test.Shop.WebApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/** Patches declared on the test class, repeatedly; the test reaches the replacements by injection. */
@SpringBootTest(classes = Shop.Application.class, webEnvironment = WebEnvironment.NONE)
@PatchComponent(target = MessageQueue.class, with = InMemoryQueue.class)
@PatchComponent(target = Database.class, with = PatchComponentOnClassTests.NoDatabase.class)
class PatchComponentOnClassTests {

    /** Replaces the database; its class inherits {@code @ConductorComponent}. */
    static class NoDatabase extends Database {

        final Journal journal;

        NoDatabase(Journal journal) {
            this.journal = journal;
        }
    }

    @Autowired
    MessageQueue queue;

    @Autowired
    Database database;

    @Autowired
    WebApi webApi;

    @Autowired
    Journal journal;

    @Test
    void everyPatchOnTheClassReplacesItsComponent() {
        assertThat(queue).isInstanceOf(InMemoryQueue.class);
        assertThat(webApi.queue).isSameAs(queue);
        assertThat(((InMemoryQueue) queue).active).isTrue();
        assertThat(database).isInstanceOf(NoDatabase.class);
        assertThat(((NoDatabase) database).journal).isSameAs(journal);
        assertThat(journal.entries()).contains("setup-finished database", "setup-finished messageQueue")
                .doesNotContain("constructed BrokerQueue");
    }
}
