package dev.phoenix.sched;

import dev.phoenix.libos.sched.SchedEntity;
import dev.phoenix.libos.sched.SchedGroup;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The fair books of {@link VirtualCpus}: a virtual time per scheduling entity at the top of the
 * hierarchy below the root (a top-level cgroup's {@link SchedGroup}, or a task of the root group
 * itself), advanced by the CPU time its runners held, scaled by 1024 over its weight, as CFS
 * advances a sched_entity's vruntime (kernel/sched/fair.c, update_curr and calc_delta_fair).
 * Waiting runners of fair tasks are served by the least virtual time, so runners of sibling
 * groups or of differently niced processes share the virtual CPUs by weight, as the fair class
 * shares one run queue. Not thread-safe: {@link VirtualCpus} holds its lock around every call.
 *
 * <p>Placement follows place_entity: an entity never seen before starts at the least virtual
 * time of those waiting or holding ({@link #minVtime}, monotonic as min_vruntime), so it can
 * neither starve the others nor be starved by them; one that comes back after holding nothing
 * keeps its own time unless that lags the minimum by more than {@link #SLEEPER_CREDIT} (a runner
 * gives its CPU back between two of its turns, and must not lose its lead for that).
 */
final class CpuShares {
    /** One entity's books. */
    static final class Entity {
        /** The weight its time is scaled by (tg->shares, or the task's nice weight). */
        long weight = Weights.NICE_0;
        /** CPU nanoseconds held × 1024 / weight, plus its placement. */
        long vtime;
        /** Runners waiting for or holding a CPU for it. */
        int users;
        /** Whether it has been placed once. */
        boolean placed;
    }

    /**
     * How far behind the minimum a returning entity may stay: one 10 ms slice of a nice-0 task
     * (CFS grants a waking sleeper half its latency, sched_latency/2, for the same reason).
     */
    static final long SLEEPER_CREDIT = 10_000_000L;

    /** Entities by key (a SchedGroup or a SchedEntity); forgotten once nothing refers to the key. */
    private final Map<Object, Entity> entities = new WeakHashMap<>();
    /** The least virtual time of the entities in use, never decreasing (min_vruntime). */
    private long minVtime;

    /** The key of the entity {@code e} is booked under: its top-level cgroup, or itself in the root. */
    static Object keyOf(SchedEntity e) {
        SchedGroup g = e.group;
        if (g == null) {
            return e;
        }
        while (g.parent() != null) {
            g = g.parent();
        }
        return g;
    }

    /** The weight of the entity {@code key} names for {@code e}: the group's shares, or {@code e}'s nice weight. */
    static long weightOf(Object key, SchedEntity e) {
        return key instanceof SchedGroup g ? g.shares() : Weights.of(e);
    }

    /** The books of {@code key} (weight {@code weight}), one more user of them, placed if they were idle. */
    Entity join(Object key, long weight) {
        Entity ent = entities.computeIfAbsent(key, k -> new Entity());
        ent.weight = Math.max(2, weight);
        if (ent.users++ == 0) {
            if (!ent.placed) {
                ent.placed = true;
                ent.vtime = minVtime;
            } else {
                ent.vtime = Math.max(ent.vtime, minVtime - SLEEPER_CREDIT);
            }
        }
        return ent;
    }

    /** One user fewer of {@code ent}. */
    void leave(Entity ent) {
        ent.users--;
    }

    /** Charges {@code nanos} of CPU held to {@code ent}. */
    static void charge(Entity ent, long nanos) {
        if (nanos > 0) {
            ent.vtime += scaled(nanos, ent.weight);
        }
    }

    /** {@code nanos} of CPU as virtual time at {@code weight}: nanos × 1024 / weight, saturating. */
    static long scaled(long nanos, long weight) {
        long hi = Math.multiplyHigh(nanos, Weights.NICE_0);
        return hi != 0 ? Long.MAX_VALUE / 4 : nanos * Weights.NICE_0 / weight;
    }

    /** Nanoseconds of CPU worth {@code vtime} at {@code weight}: the inverse of {@link #scaled}. */
    static long unscaled(long vtime, long weight) {
        return Math.multiplyHigh(vtime, weight) != 0 ? Long.MAX_VALUE / 4 : vtime * weight / Weights.NICE_0;
    }

    /** Moves the minimum up to {@code least}, the least virtual time in use now (min_vruntime never goes back). */
    void advanceMin(long least) {
        if (least > minVtime) {
            minVtime = least;
        }
    }

    /** The virtual time of {@code key}'s entity, 0 if it has none. */
    long vtimeOf(Object key) {
        Entity ent = entities.get(key);
        return ent == null ? 0 : ent.vtime;
    }

    /** The least virtual time in use, as last advanced. */
    long minVtime() {
        return minVtime;
    }
}
