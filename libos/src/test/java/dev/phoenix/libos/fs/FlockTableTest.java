package dev.phoenix.libos.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.sched.SchedEntity;
import org.junit.jupiter.api.Test;

/**
 * flock(2)'s table: conflicts between descriptions, and the priority a task blocked on an
 * inode's locks lends to the tasks that hold them until its wait ends or they let go.
 */
class FlockTableTest {
    private static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    private final FlockTable table = new FlockTable();
    private final Process process = new Process(100, 1, null, null, "/bin/test");
    private final Task a = process.mainTask();
    private final Task b = process.newThread(a, 101, true, true);
    private final Task c = process.newThread(a, 102, true, true);

    /** An open file description of inode {@code ino}. */
    private static OpenFile open(long ino) {
        FileStatus st = new FileStatus(1, ino, FileStatus.S_IFREG | 0644, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0);
        return new OpenFile() {
            @Override
            public int read(byte[] buf, int offset, int length) {
                return 0;
            }

            @Override
            public int write(byte[] buf, int offset, int length) {
                return length;
            }

            @Override
            public FileStatus status() {
                return st;
            }
        };
    }

    private static void fifo(Task t, int rt) {
        t.sched.policy = SchedEntity.SCHED_FIFO;
        t.sched.rtPriority = rt;
    }

    @Test
    void descriptionsConflictAsFlockSays() {
        OpenFile f1 = open(7), f2 = open(7), other = open(8);
        assertTrue(table.tryLock(f1, LOCK_SH, a));
        assertTrue(table.tryLock(f2, LOCK_SH, b));
        assertFalse(table.tryLock(f2, LOCK_EX | LOCK_NB, b));
        assertTrue(table.tryLock(other, LOCK_EX, c));
        assertTrue(table.tryLock(f1, LOCK_UN, a));
        assertTrue(table.tryLock(f2, LOCK_EX, b));
        assertFalse(table.tryLock(f1, LOCK_SH, a));
    }

    @Test
    void aBlockedTaskLendsItsPriorityToEveryHolderUntilItsWaitEnds() {
        OpenFile f1 = open(7), f2 = open(7), f3 = open(7);
        fifo(c, 30);
        assertTrue(table.tryLock(f1, LOCK_SH, a));
        assertTrue(table.tryLock(f2, LOCK_SH, b));
        assertFalse(table.tryLock(f3, LOCK_EX, c));
        table.beginWait(f3, c);
        assertEquals(69, a.sched.prio());
        assertEquals(69, b.sched.prio());
        table.tryLock(f1, LOCK_UN, a); // a let go: it inherits no more
        assertEquals(120, a.sched.prio());
        assertEquals(69, b.sched.prio());
        table.release(f2); // b's last fd closed
        assertEquals(120, b.sched.prio());
        assertTrue(table.tryLock(f3, LOCK_EX, c));
        table.endWait(f3, c);
        assertNull(c.pi.blockedOn());
        assertEquals(SchedEntity.NO_PRIO, c.sched.inheritedPrio);
    }

    @Test
    void aWaitEndedBySignalGivesThePriorityBack() {
        OpenFile f1 = open(9), f2 = open(9);
        fifo(b, 10);
        assertTrue(table.tryLock(f1, LOCK_EX, a));
        table.beginWait(f2, b);
        assertEquals(89, a.sched.prio());
        table.endWait(f2, b);
        assertEquals(120, a.sched.prio());
    }
}
