package dev.conductor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RankingTest {

    @Test
    void keepsTheLowestPriorityClassesFirstThenTheLongestThenTheEarliest() {
        int[] priorities = { 2, 2, 0, 1, 2, 2, 1 };
        long[] lengths = { 5, 9, 1, 3, 9, 7, Long.MAX_VALUE };
        boolean[] kept = Ranking.top(7, 5, i -> priorities[i], i -> lengths[i]);
        // 2 (critical), 3 and 6 (failures), then the longest of the rest: 1 and 4 tie at 9, both fit
        assertThat(IntStream.range(0, 7).filter(i -> kept[i]).toArray()).containsExactly(1, 2, 3, 4, 6);
        boolean[] four = Ranking.top(7, 4, i -> priorities[i], i -> lengths[i]);
        assertThat(IntStream.range(0, 7).filter(i -> four[i]).toArray()).as("of a tie, the earlier one")
                .containsExactly(1, 2, 3, 6);
    }

    @Test
    void nothingDroppedOutranksAnythingKeptOnRandomInput() {
        Random random = new Random(42);
        for (int round = 0; round < 50; round++) {
            int size = 1 + random.nextInt(500);
            int[] priorities = random.ints(size, 0, 3).toArray();
            long[] lengths = random.longs(size, 0, 1_000).toArray();
            int limit = random.nextInt(size + 1);
            boolean[] kept = Ranking.top(size, limit, i -> priorities[i], i -> lengths[i]);
            assertThat(IntStream.range(0, size).filter(i -> kept[i]).count()).isEqualTo(limit);
            // Nothing dropped outranks anything kept
            for (int dropped = 0; dropped < size; dropped++) {
                for (int keptOne = 0; keptOne < size && !kept[dropped]; keptOne++) {
                    if (kept[keptOne]) {
                        assertThat(priorities[dropped] < priorities[keptOne]
                                || priorities[dropped] == priorities[keptOne] && lengths[dropped] > lengths[keptOne])
                                .as("round %d: %d dropped but %d kept", round, dropped, keptOne).isFalse();
                    }
                }
            }
        }
    }
}
