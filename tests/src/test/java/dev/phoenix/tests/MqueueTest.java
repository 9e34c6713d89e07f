package dev.phoenix.tests;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * POSIX message queues (tests/guest/mqueue.c): attributes, priority order, O_NONBLOCK, absolute
 * timeouts, poll, a receiver woken by another process, the descriptor's status line, mq_notify
 * (SIGEV_SIGNAL with SI_MESGQ and the sender's pid, SIGEV_NONE, SIGEV_THREAD through the C
 * library's netlink socket, EBUSY, dropped by a close), unlink while open, mq_open's errors,
 * RLIMIT_MSGQUEUE, /proc/sys/fs/mqueue and the mqueue file system. The text is the native
 * run's as root; on x86_64 it is checked against a native run again.
 */
class MqueueTest {
    private static final String MQUEUE = """
            fstat reg=1 mode=644 size=80 cloexec=1
            new flags=0 maxmsg=4 msgsize=64 curmsgs=0
            new poll=1 OUT
            full flags=0 maxmsg=4 msgsize=64 curmsgs=4
            full poll=1 IN
            timedsend full: ETIMEDOUT
            setattr: ok old=0
            send nonblock full: EAGAIN
            receive 5 'high1' prio 5
            receive 5 'high2' prio 5
            receive 3 'mid' prio 3
            receive 3 'low' prio 1
            receive nonblock empty: EAGAIN
            empty poll=1 OUT
            timedreceive empty: ETIMEDOUT
            timedreceive past: ETIMEDOUT
            timedreceive bad timeout: EINVAL
            receive small buffer: EMSGSIZE
            send too long: EMSGSIZE
            send prio 32768: EINVAL
            setattr bad flags: EINVAL
            blocked receive 4 'wake' prio 2
            one message len=60 QSIZE=5 NOTIFY=0 SIGNO=0 NOTIFY_PID=0
            notify: ok
            notify again: EBUSY
            registered len=60 QSIZE=0 NOTIFY=0 SIGNO=10 NOTIFY_PID=self
            child notify: EBUSY
            child unregister (not owner): ok
            signal code=SI_MESGQ pid=matches value=42
            fired len=60 QSIZE=2 NOTIFY=0 SIGNO=0 NOTIFY_PID=0
            notify nonempty: ok
            pending after send to nonempty: 0
            unregister: ok
            notify before close: ok
            after close len=60 QSIZE=0 NOTIFY=0 SIGNO=0 NOTIFY_PID=0
            notify none: ok
            none len=60 QSIZE=0 NOTIFY=1 SIGNO=0 NOTIFY_PID=self
            notify bad kind: EINVAL
            notify thread: ok
            thread ran: ok value=7
            open missing: ENOENT
            create exclusive existing: EEXIST
            open O_RDWR|O_WRONLY: EINVAL
            create maxmsg 0: EINVAL
            create maxmsg 65537: EINVAL
            create msgsize 16M+1: EINVAL
            open with a slash inside: EACCES
            open long name: ENAMETOOLONG
            send on O_RDONLY: EBADF
            receive on O_WRONLY: EBADF
            send on stdin: EBADF
            unlink missing: ENOENT
            other user open: EACCES
            other user unlink: EACCES
            create past RLIMIT_MSGQUEUE: EMFILE
            unlink: ok
            open after unlink: ENOENT
            send after unlink: ok
            receive after unlink 1 prio 4
            unlink again: ENOENT
            create new with the name: ok
            queues_max: 256
            msg_max: 10
            msgsize_max: 8192
            msg_default: 10
            msgsize_default: 8192
            mount mqueue: ok
            listed phx_fs1
            listed phx_fs2
            stat reg=1 mode=640 size=80
            cat 60: [QSIZE:5          NOTIFY:0     SIGNO:0     NOTIFY_PID:0     ] newline
            read again: 0
            receive through the opened file: 5
            unlink file: ok
            open unlinked: ENOENT
            done
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void queuesOrderWaitNotifyAndShowAsFiles(Target t) throws Exception {
        Guests.runsAsExpected(t, "mqueue", new Result(0, MQUEUE, ""));
    }
}
