package dev.phoenix.libos.cgroup;

import java.util.ArrayList;
import java.util.List;

/**
 * The controllers Phoenix's hierarchy has, in the order Linux lists them in cgroup.controllers
 * (its cgroup_subsys order: cpuset cpu io memory hugetlb pids ...), each with a bit for the
 * masks of subtree_control.
 */
public enum Controller {
    CPU("cpu"), MEMORY("memory"), PIDS("pids");

    /** The name in cgroup.controllers and cgroup.subtree_control, and the prefix of its files. */
    public final String linuxName;
    /** This controller's bit in a mask. */
    public final int bit;

    Controller(String linuxName) {
        this.linuxName = linuxName;
        this.bit = 1 << ordinal();
    }

    /** Every controller's bit. */
    public static final int ALL = (1 << values().length) - 1;

    /** The controller named {@code name}, or null. */
    public static Controller named(String name) {
        for (Controller c : values()) {
            if (c.linuxName.equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** The names of the controllers in {@code mask}, space-separated, as the cgroup files print them. */
    public static String names(int mask) {
        List<String> out = new ArrayList<>();
        for (Controller c : values()) {
            if ((mask & c.bit) != 0) {
                out.add(c.linuxName);
            }
        }
        return String.join(" ", out);
    }
}
