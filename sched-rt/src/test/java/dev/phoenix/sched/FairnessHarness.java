package dev.phoenix.sched;

import dev.phoenix.libos.sched.RoundRobin;
import dev.phoenix.libos.sched.SchedEntity;
import dev.phoenix.libos.sched.SchedGroup;
import dev.phoenix.libos.sched.Scheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The fairness harness: runs long mixed-weight workloads, with tasks joining, leaving and
 * changing weight, through several schedulers and measures each task's lag: the CPU time an ideal
 * fluid scheduler (GPS) would have given it minus what it got, after every turn, in quanta. The
 * fluid reference gives every nanosecond to the runnable tasks in proportion to their weights;
 * a task joins with lag 0, and a task that leaves hands its lag to the others in proportion to
 * their weights (as EEVDF's analysis does), so the lags of the tasks present always sum to zero.
 *
 * <p>Schedulers: Phoenix's {@link ClassScheduler} (Beatty turns, earliest eligible due turn), the
 * same turns with the earliest due turn alone, the {@link RoundRobin} class Phoenix had before,
 * lottery (Waldspurger 1994), stride (Waldspurger 1995) and a textbook EEVDF (Stoica and
 * Abdel-Wahab 1995) as the reference. Each is driven the way the runner drives a class: pick,
 * run for the slice it grants, put back.
 */
final class FairnessHarness {
    static final long QUANTUM = 10_000_000L;

    /** A scheduler under test, on integer task ids. */
    interface Policy {
        void join(int id, int nice);

        void leave(int id);

        void renice(int id, int nice);

        /** Picks a task and returns its id; {@link #granted} is then how long it runs. */
        int pick();

        /** How long the picked task runs: one quantum, unless the policy grants otherwise. */
        default long granted() {
            return QUANTUM;
        }

        /** The picked task ran {@code nanos} and is runnable again. */
        void ran(int id, long nanos);
    }

    /** A libos {@link Scheduler} driven as the run queue drives it. */
    static final class ClassPolicy implements Policy {
        private final Scheduler s;
        private final Map<Integer, SchedEntity> tasks = new HashMap<>();
        private long granted;

        ClassPolicy(Scheduler s) {
            this.s = s;
        }

        @Override
        public void join(int id, int nice) {
            SchedEntity e = new SchedEntity(id);
            e.nice = nice;
            tasks.put(id, e);
            s.enqueue(e);
        }

        @Override
        public void leave(int id) {
            s.dequeue(tasks.remove(id));
        }

        @Override
        public void renice(int id, int nice) {
            SchedEntity e = tasks.get(id);
            e.nice = nice;
            s.changed(e);
        }

        @Override
        public int pick() {
            SchedEntity e = s.pickNext();
            long slice = s.sliceNanos(e);
            granted = slice == Long.MAX_VALUE ? QUANTUM : slice;
            return (Integer) e.owner();
        }

        @Override
        public long granted() {
            return granted;
        }

        @Override
        public void ran(int id, long nanos) {
            SchedEntity e = tasks.get(id);
            e.runtimeNanos += nanos;
            s.enqueue(e);
        }
    }

    /** Lottery scheduling: each turn (one quantum) goes to a ticket drawn at random, tickets by weight. */
    static final class Lottery implements Policy {
        private final Map<Integer, Integer> weights = new LinkedHashMap<>();
        private final Random random = new Random(42);
        private long total;

        @Override
        public void join(int id, int nice) {
            weights.put(id, Weights.ofNice(nice));
            total += Weights.ofNice(nice);
        }

        @Override
        public void leave(int id) {
            total -= weights.remove(id);
        }

        @Override
        public void renice(int id, int nice) {
            leave(id);
            join(id, nice);
        }

        @Override
        public int pick() {
            long ticket = (long) (random.nextDouble() * total);
            for (Map.Entry<Integer, Integer> e : weights.entrySet()) {
                ticket -= e.getValue();
                if (ticket < 0) {
                    return e.getKey();
                }
            }
            return weights.keySet().iterator().next();
        }

        @Override
        public void ran(int id, long nanos) {
        }
    }

    /** Stride scheduling: the task with the smallest pass runs a quantum and its pass grows by its stride (1/weight). */
    static final class Stride implements Policy {
        private static final double BIG = 1 << 20;
        private final Map<Integer, double[]> tasks = new LinkedHashMap<>(); // pass, stride

        private double minPass() {
            double m = Double.MAX_VALUE;
            for (double[] t : tasks.values()) {
                m = Math.min(m, t[0]);
            }
            return tasks.isEmpty() ? 0 : m;
        }

        @Override
        public void join(int id, int nice) {
            tasks.put(id, new double[] {minPass(), BIG / Weights.ofNice(nice)});
        }

        @Override
        public void leave(int id) {
            tasks.remove(id);
        }

        @Override
        public void renice(int id, int nice) {
            tasks.get(id)[1] = BIG / Weights.ofNice(nice);
        }

        @Override
        public int pick() {
            int best = -1;
            double pass = Double.MAX_VALUE;
            for (Map.Entry<Integer, double[]> e : tasks.entrySet()) {
                if (e.getValue()[0] < pass) {
                    pass = e.getValue()[0];
                    best = e.getKey();
                }
            }
            return best;
        }

        @Override
        public void ran(int id, long nanos) {
            double[] t = tasks.get(id);
            t[0] += t[1] * nanos / QUANTUM;
        }
    }

    /**
     * Textbook EEVDF: virtual eligible time and deadline per task, V the weighted mean, the
     * eligible task with the earliest deadline runs its whole request of one quantum; a joining
     * task starts at V.
     */
    static final class Eevdf implements Policy {
        private final Map<Integer, double[]> tasks = new LinkedHashMap<>(); // ve, vd, weight

        private double v() {
            double sw = 0, swv = 0;
            for (double[] t : tasks.values()) {
                sw += t[2];
                swv += t[2] * t[0];
            }
            return sw == 0 ? 0 : swv / sw;
        }

        @Override
        public void join(int id, int nice) {
            double w = Weights.ofNice(nice);
            double v = v();
            tasks.put(id, new double[] {v, v + QUANTUM / w, w});
        }

        @Override
        public void leave(int id) {
            tasks.remove(id);
        }

        @Override
        public void renice(int id, int nice) {
            double[] t = tasks.get(id);
            double v = v();
            double lag = (v - t[0]) * t[2];
            t[2] = Weights.ofNice(nice);
            t[0] = v - lag / t[2];
            t[1] = t[0] + QUANTUM / t[2];
        }

        @Override
        public int pick() {
            double v = v();
            int best = -1;
            double deadline = Double.MAX_VALUE;
            for (Map.Entry<Integer, double[]> e : tasks.entrySet()) {
                double[] t = e.getValue();
                if (t[0] <= v + 1e-9 && t[1] < deadline) {
                    deadline = t[1];
                    best = e.getKey();
                }
            }
            return best;
        }

        @Override
        public void ran(int id, long nanos) {
            double[] t = tasks.get(id);
            t[0] += nanos / t[2];
            t[1] = t[0] + QUANTUM / t[2];
        }
    }

    /** What one policy did on one workload: the worst and mean absolute lag, in quanta. */
    record Lag(double worst, double mean) {
    }

    /** The fluid reference and the measurement: drives {@code policy} through a seeded workload. */
    static Lag run(Policy policy, Workload w, long seed, int turns) {
        Random r = new Random(seed);
        Map<Integer, double[]> tasks = new LinkedHashMap<>(); // weight, lag (ns)
        int nextId = 0;
        for (int i = 0; i < w.initial; i++) {
            int nice = w.nice(r);
            policy.join(nextId, nice);
            tasks.put(nextId++, new double[] {Weights.ofNice(nice), 0});
        }
        double worst = 0, sum = 0;
        long samples = 0;
        for (int turn = 0; turn < turns; turn++) {
            if (w.churn > 0 && r.nextInt(w.churn) == 0) {
                int action = r.nextInt(3);
                List<Integer> ids = new ArrayList<>(tasks.keySet());
                if ((action == 0 || tasks.size() <= 2) && tasks.size() < w.max) {
                    int nice = w.nice(r);
                    policy.join(nextId, nice);
                    tasks.put(nextId++, new double[] {Weights.ofNice(nice), 0});
                } else if (action == 1) {
                    int id = ids.get(r.nextInt(ids.size()));
                    double[] gone = tasks.remove(id);
                    policy.leave(id);
                    double total = 0;
                    for (double[] t : tasks.values()) {
                        total += t[0];
                    }
                    for (double[] t : tasks.values()) { // its lag goes to the others, by weight
                        t[1] += gone[1] * t[0] / total;
                    }
                } else {
                    int id = ids.get(r.nextInt(ids.size()));
                    int nice = w.nice(r);
                    policy.renice(id, nice);
                    tasks.get(id)[0] = Weights.ofNice(nice);
                }
            }
            int id = policy.pick();
            long ran = policy.granted();
            double total = 0;
            for (double[] t : tasks.values()) {
                total += t[0];
            }
            for (double[] t : tasks.values()) {
                t[1] += ran * t[0] / total;
            }
            tasks.get(id)[1] -= ran;
            policy.ran(id, ran);
            for (double[] t : tasks.values()) {
                double lag = Math.abs(t[1]) / QUANTUM;
                worst = Math.max(worst, lag);
                sum += lag;
                samples++;
            }
        }
        return new Lag(worst, sum / samples);
    }

    /** A workload: how many tasks start, the most there may be, 1 in {@code churn} turns changes the set (0: never), the nice values drawn. */
    record Workload(String name, int initial, int max, int churn, int[] nices) {
        int nice(Random r) {
            return nices[r.nextInt(nices.length)];
        }
    }

    static final List<Workload> WORKLOADS = List.of(
            new Workload("8 tasks, nice -5..10, fixed", 8, 8, 0, new int[] {-5, -2, 0, 0, 3, 5, 10}),
            new Workload("5 tasks, nice -20 and 19, fixed", 5, 5, 0, new int[] {-20, 19, 19, 0}),
            new Workload("2-30 tasks, all nice values, churn 1/20", 10, 30, 20, allNices()),
            new Workload("2-12 tasks, nice -10..10, churn 1/3", 6, 12, 3, new int[] {-10, -5, 0, 5, 10}));

    private static int[] allNices() {
        int[] n = new int[40];
        for (int i = 0; i < 40; i++) {
            n[i] = i - 20;
        }
        return n;
    }

    static Map<String, Supplier<Policy>> policies() {
        Map<String, Supplier<Policy>> m = new LinkedHashMap<>();
        m.put("Phoenix Beatty (eligible)", () -> new ClassPolicy(new ClassScheduler(QUANTUM)));
        m.put("Beatty, earliest turn only", () -> new ClassPolicy(new ClassScheduler(QUANTUM, false)));
        m.put("EEVDF reference", Eevdf::new);
        m.put("stride", Stride::new);
        m.put("lottery", Lottery::new);
        m.put("round robin", () -> new ClassPolicy(new RoundRobin(QUANTUM)));
        return m;
    }

    /**
     * Groups of tasks (the cgroup cpu controller) driven through a {@link ClassScheduler} as the
     * runner drives it, on a clock that moves by the CPU each turn uses and, when every task is
     * held back by cpu.max, jumps to the end of the earliest throttle (as the run queue waits).
     * Each turn is the class's slice, cut at what is left of the group's quota as the runner
     * cuts it. {@link #cpu} is what each group's tasks ran.
     */
    static final class Groups {
        long now;
        final ClassScheduler s = new ClassScheduler(QUANTUM);
        final List<SchedEntity> tasks = new ArrayList<>();
        final Map<SchedGroup, Long> cpu = new LinkedHashMap<>();

        /** A group below {@code parent} (null: the root) with cpu.weight {@code weight}. */
        SchedGroup group(SchedGroup parent, int weight) {
            SchedGroup g = new SchedGroup(parent, () -> now);
            g.setShares(SchedGroup.sharesOfWeight(weight));
            cpu.put(g, 0L);
            return g;
        }

        /** {@code n} CPU-bound tasks of nice 0 in {@code g} (null: the root). */
        void tasks(SchedGroup g, int n) {
            for (int i = 0; i < n; i++) {
                SchedEntity e = new SchedEntity(tasks.size());
                e.group = g;
                tasks.add(e);
                s.enqueue(e);
            }
        }

        /** Runs for {@code nanos} of clock time. */
        void run(long nanos) {
            long end = now + nanos;
            while (now < end) {
                SchedEntity e = s.pickNext();
                if (e == null) {
                    long until = s.throttledUntil();
                    if (until == Long.MAX_VALUE) {
                        throw new IllegalStateException("nothing runnable nor throttled");
                    }
                    now = Math.max(now, until);
                    continue;
                }
                long slice = s.sliceNanos(e);
                SchedGroup g = e.group;
                if (g != null) {
                    slice = Math.min(slice, g.remainingNanos());
                }
                e.runtimeNanos += slice;
                now += slice;
                for (SchedGroup up = g; up != null; up = up.parent()) {
                    cpu.merge(up, slice, Long::sum);
                }
                if (g != null) {
                    g.charge(slice);
                }
                s.enqueue(e);
            }
        }

        /** The CPU {@code g} and the groups below it ran, as a fraction of {@code total}. */
        double share(SchedGroup g, long total) {
            return (double) cpu.get(g) / total;
        }
    }

    /** Prints the report: worst and mean lag of each policy on each workload. */
    public static void main(String[] args) {
        int turns = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        System.out.printf(Locale.ROOT, "lag in quanta (%d ms), %d turns per workload: worst / mean%n", QUANTUM / 1_000_000, turns);
        for (Workload w : WORKLOADS) {
            System.out.println(w.name);
            for (Map.Entry<String, Supplier<Policy>> p : policies().entrySet()) {
                Lag lag = run(p.getValue().get(), w, 7, turns);
                System.out.printf(Locale.ROOT, "  %-28s %8.3f / %.3f%n", p.getKey(), lag.worst, lag.mean);
            }
        }
    }
}
