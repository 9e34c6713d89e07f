package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.EventFd;
import dev.phoenix.libos.fs.TimerFd;

/** eventfd(2) and timerfd_create(2): descriptors a program waits on with read, poll or epoll. */
final class EventSyscalls {
    private EventSyscalls() {}

    private static final int O_NONBLOCK = 04000, O_CLOEXEC = 02000000;
    private static final int EFD_SEMAPHORE = 1;
    private static final int TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;
    private static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_BOOTTIME = 7, CLOCK_REALTIME_ALARM = 8,
            CLOCK_BOOTTIME_ALARM = 9;
    /** CAP_WAKE_ALARM (capabilities(7)), which the _ALARM clocks need. */
    private static final int CAP_WAKE_ALARM = 35;
    private static final long NS = 1_000_000_000L;

    /** Implements Linux eventfd2(2): flags EFD_SEMAPHORE, EFD_NONBLOCK and EFD_CLOEXEC, else EINVAL. */
    static long eventfd2(SyscallContext c, long initval, long flags, long a2, long a3, long a4, long a5) {
        if ((flags & ~(EFD_SEMAPHORE | O_NONBLOCK | O_CLOEXEC)) != 0) {
            return -Errno.EINVAL;
        }
        EventFd f = new EventFd(initval & 0xffffffffL, (flags & EFD_SEMAPHORE) != 0, (flags & O_NONBLOCK) != 0);
        return c.fds().install(f, 0, (flags & O_CLOEXEC) != 0, c.process().fdLimit());
    }

    /** Implements Linux eventfd(2) (x86_64): eventfd2 without flags. */
    static long eventfd(SyscallContext c, long initval, long a1, long a2, long a3, long a4, long a5) {
        return eventfd2(c, initval, 0, 0, 0, 0, 0);
    }

    /**
     * Implements Linux timerfd_create(2): CLOCK_REALTIME, CLOCK_MONOTONIC and CLOCK_BOOTTIME,
     * and their _ALARM forms for a process with CAP_WAKE_ALARM (EPERM otherwise); flags
     * TFD_NONBLOCK and TFD_CLOEXEC.
     */
    static long timerfdCreate(SyscallContext c, long clockid, long flags, long a2, long a3, long a4, long a5) {
        int id = (int) clockid;
        if (id != CLOCK_REALTIME && id != CLOCK_MONOTONIC && id != CLOCK_BOOTTIME && id != CLOCK_REALTIME_ALARM
                && id != CLOCK_BOOTTIME_ALARM) {
            return -Errno.EINVAL;
        }
        if ((flags & ~(O_NONBLOCK | O_CLOEXEC)) != 0) {
            return -Errno.EINVAL;
        }
        if ((id == CLOCK_REALTIME_ALARM || id == CLOCK_BOOTTIME_ALARM)
                && !c.process().credentials().capable(CAP_WAKE_ALARM)) {
            return -Errno.EPERM;
        }
        TimerFd f = new TimerFd(c.kernel().clock(), id, (flags & O_NONBLOCK) != 0);
        return c.fds().install(f, 0, (flags & O_CLOEXEC) != 0, c.process().fdLimit());
    }

    /**
     * Implements Linux timerfd_settime(2): {@code newValue} is a struct itimerspec (it_interval,
     * then it_value); an it_value of 0 disarms. With TFD_TIMER_ABSTIME it_value is a time of the
     * timer's clock; TFD_TIMER_CANCEL_ON_SET only with it (and only a realtime clock cancels,
     * which the guest cannot set). The old setting goes to {@code oldValue}.
     */
    static long timerfdSettime(SyscallContext c, long fd, long flags, long newValue, long oldValue, long a4, long a5) {
        TimerFd t = timer(c, fd);
        if ((flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET)) != 0
                || ((flags & TFD_TIMER_CANCEL_ON_SET) != 0 && (flags & TFD_TIMER_ABSTIME) == 0)) {
            return -Errno.EINVAL;
        }
        long every = timespec(c, newValue);
        long value = timespec(c, newValue + 16);
        Clock clock = c.kernel().clock();
        long at = 0;
        if (value != 0) {
            long now = clock.monotonicNanos();
            if ((flags & TFD_TIMER_ABSTIME) == 0) {
                at = now + value;
            } else {
                at = value - clockNow(clock, t.clockId()) + now; // the same instant on the monotonic clock
            }
            if (at == 0) {
                at = 1; // 0 means disarmed
            }
        }
        long[] old = t.set(at, every);
        if (oldValue != 0) {
            writeItimerspec(c, oldValue, old);
        }
        return 0;
    }

    /** Implements Linux timerfd_gettime(2): the time left and the interval. */
    static long timerfdGettime(SyscallContext c, long fd, long currValue, long a2, long a3, long a4, long a5) {
        writeItimerspec(c, currValue, timer(c, fd).get());
        return 0;
    }

    private static TimerFd timer(SyscallContext c, long fd) {
        if (!(c.fds().get(fd) instanceof TimerFd t)) {
            throw Errno.of(Errno.EINVAL); // a valid descriptor that is no timerfd
        }
        return t;
    }

    /** The time now on clock {@code clockId}, in ns. */
    private static long clockNow(Clock clock, int clockId) {
        return switch (clockId) {
            case CLOCK_REALTIME, CLOCK_REALTIME_ALARM -> clock.realtimeNanos();
            case CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM -> clock.uptimeNanos();
            default -> clock.monotonicNanos();
        };
    }

    /** A struct timespec in ns; EINVAL for a negative or out-of-range one. */
    private static long timespec(SyscallContext c, long address) {
        long sec = c.memory().readLong(address);
        long nsec = c.memory().readLong(address + 8);
        if (sec < 0 || nsec < 0 || nsec >= NS) {
            throw Errno.of(Errno.EINVAL);
        }
        return sec > Long.MAX_VALUE / NS / 4 ? Long.MAX_VALUE / 4 : sec * NS + nsec;
    }

    /** Writes {left, interval} as struct itimerspec (it_interval first). */
    private static void writeItimerspec(SyscallContext c, long address, long[] v) {
        c.memory().writeLong(address, v[1] / NS);
        c.memory().writeLong(address + 8, v[1] % NS);
        c.memory().writeLong(address + 16, v[0] / NS);
        c.memory().writeLong(address + 24, v[0] % NS);
    }
}
