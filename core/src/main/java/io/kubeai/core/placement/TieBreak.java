package io.kubeai.core.placement;

import java.util.random.RandomGenerator;

/**
 * How {@link NodeSelector} chooses among nodes that share the top score.
 *
 * <ul>
 *   <li>{@link #RANDOM}: uniformly at random for every pod, as upstream kube-scheduler's
 *       {@code selectHost} does.
 *   <li>{@link #byRank}: always the node of lowest rank. With a random permutation as the rank
 *       ({@link #shuffled}) this is the FGD artifact's scheduler, which picks the
 *       lexicographically smallest of node names prefixed with a seeded permutation: ties
 *       consistently favour the same nodes, which packs work onto them.
 * </ul>
 */
public final class TieBreak {
    public static final TieBreak RANDOM = new TieBreak(null);

    private final int[] rank;

    private TieBreak(int[] rank) {
        this.rank = rank;
    }

    /** Lower {@code rank[nodeIndex]} wins a tie; ranks must be distinct. */
    public static TieBreak byRank(int[] rank) {
        return new TieBreak(rank.clone());
    }

    /** A rank drawn as a uniform random permutation of {@code nodes} positions. */
    public static TieBreak shuffled(int nodes, RandomGenerator random) {
        int[] rank = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            rank[i] = i;
        }
        for (int i = nodes - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = rank[i];
            rank[i] = rank[j];
            rank[j] = t;
        }
        return new TieBreak(rank);
    }

    public boolean isRandom() {
        return rank == null;
    }

    /** Whether {@code candidate} replaces {@code incumbent}, the {@code tied}-th node at the top score. */
    boolean replaces(int candidate, int incumbent, int tied, RandomGenerator random) {
        if (rank == null) {
            return random.nextInt(tied) == 0;
        }
        return rank[candidate] < rank[incumbent];
    }
}
