package dev.phoenix.tests;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * System V IPC (tests/guest/sysvmsg.c, sysvsem.c, sysvshm.c): message queues, semaphore sets
 * and shared memory segments of the IPC namespace, with their blocking waits, removal and
 * errors. The texts are the native runs'; on x86_64 they are checked against a native run again.
 */
class SysvIpcTest {
    private static final String MSG = """
            msgget private: ok
            send 3 three: ok
            send 1 one: ok
            send 2 two: ok
            send 1 uno: ok
            stat: ok qnum 4 cbytes 14 qbytes 16384 mode 600 owner me lspid me
            copy 1: type 1 "one" (3 bytes)
            copy 9: ENOMSG
            copy without nowait: EINVAL
            first: type 3 "three" (5 bytes)
            type 1: type 1 "one" (3 bytes)
            except 2: type 1 "uno" (3 bytes)
            type 7 nowait: ENOMSG
            send 5 five: ok
            send 4 four: ok
            lowest up to 5: type 2 "two" (3 bytes)
            short buffer: E2BIG
            noerror: type 5 "fi" (2 bytes)
            last nowait: type 4 "four" (4 bytes)
            empty nowait: ENOMSG
            stat empty: ok qnum 0 cbytes 0 qbytes 16384 mode 600 owner me lspid me
            set qbytes 10: ok
            send 1 eightbyt: ok
            send past qbytes nowait: EAGAIN
            stat full: ok qnum 1 cbytes 8 qbytes 10 mode 640 owner me lspid me
            drain: type 1 "eightbyt" (8 bytes)
            send type 0: EINVAL
            send 8193 bytes: EINVAL
            send bad id: EINVAL
            send negative id: EINVAL
            rcv bad id: EINVAL
            ctl bad cmd: EINVAL
            ctl bad id: EINVAL
            get key missing: ENOENT
            get key create: ok
            get key again: same
            get key excl: EEXIST
            rmid key: ok
            get key removed: ENOENT
            ipc_info: ok msgmax 8192 msgmnb 16384 msgmni 32000 msgssz 16 msgseg 65535
            msg_info: ok
            parent waits: type 6 "from child" (10 bytes)
            signal: EINTR
            fill: ok
            send signal: EINTR
            child after rmid: EIDRM
            rmid with waiter: ok
            stat removed: EINVAL
            rmid: ok
            """;

    private static final String SEM = """
            semget: ok
            stat: ok nsems 3 mode 600 owner me otime 0
            initial: ok 0 0 0
            setval: ok
            getval: 5
            setall: ok
            after setall: ok 1 2 3
            down 0: ok
            down 0 nowait: EAGAIN
            two ops, second blocks: EAGAIN
            nothing applied: ok 0 2 3
            two ops: ok
            both applied: ok 0 0 4
            zero 0: ok
            zero 2 nowait: EAGAIN
            getpid: me
            otime set: yes
            timed: EAGAIN
            timed bad timeout: EINVAL
            setval 32768: ERANGE
            up past max: ERANGE
            num 3: EFBIG
            501 ops: E2BIG
            0 ops: EINVAL
            getval 3: EINVAL
            bad cmd: EINVAL
            bad id: EINVAL
            ncnt: 1
            up 0: ok
            waiter: 0
            ncnt after: 0
            zcnt: 1
            setval 0: ok
            zero waiter: 0
            undo child: 0
            after undo: 1
            lock after holder exits: ok
            holder: 0
            undo range: ERANGE
            signal: EINTR
            rmid: ok
            removed waiter: 0
            getval removed: EINVAL
            key create: ok
            key more sems: EINVAL
            key fewer sems: same
            key excl: EEXIST
            key rmid: ok
            create 0 sems: EINVAL
            create 32001 sems: EINVAL
            ipc_info: ok semmni 32000 semmsl 32000 semmns 1024000000 semopm 500 semvmx 32767 semaem 32767 semume 500 semusz 20
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void semaphoresApplyAllOrNoneWaitAndUndoAtExit(Target t) throws Exception {
        Guests.runsAsExpected(t, "sysvsem", new Result(0, SEM, ""));
    }

    private static final String SHM = """
            shmget: ok
            new: segsz 10000 nattch 0 mode 600 key private cpid me lpid other
            shmat: ok
            zeroed: yes
            shmat rdonly: ok
            second attachment reads: hello
            attached twice: segsz 10000 nattch 2 mode 600 key private cpid me lpid me
            maps: rw-s 0 00:01 inode is id: yes name is key: yes (deleted)
            maps: r--s 0 00:01 inode is id: yes name is key: yes (deleted)
            child: segsz 10000 nattch 4 mode 600 key private cpid other lpid other
            child: 0
            parent reads: from child, child's own attachment
            after child: segsz 10000 nattch 2 mode 600 key private cpid me lpid other
            shmdt rdonly: ok
            shmdt again: EINVAL
            shmdt unaligned: EINVAL
            shmdt not shm: EINVAL
            shmat overlapping: EINVAL
            shmat unaligned: EINVAL
            shmdt: ok
            shmat SHM_RND: rounded down
            still there: from child
            shmat SHM_REMAP: same place
            shmdt both: ok EINVAL
            detached: segsz 10000 nattch 0 mode 600 key private cpid me lpid me
            lock: ok
            locked: segsz 10000 nattch 0 mode 2600 key private cpid me lpid me
            unlock: ok
            rmid unattached: ok
            gone: EINVAL
            key create: ok
            key bigger: EINVAL
            key smaller: same
            key excl: EEXIST
            maps: rw-s 0 00:01 inode is id: yes name is key: yes (deleted)
            rmid: ok
            removed, attached: segsz 5000 nattch 1 mode 1640 key private cpid me lpid me
            key after rmid: ENOENT
            memory kept: kept
            child sees it: 0
            child gone: segsz 5000 nattch 1 mode 1640 key private cpid me lpid other
            shmdt: ok
            last detach: EINVAL
            size 0: EINVAL
            bad id: EINVAL
            bad cmd: EINVAL
            ipc_info: ok shmmax 18446744073692774399 shmmin 1 shmmni 4096 shmseg 4096 shmall 18446744073692774399
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void sharedMemoryAcrossForkDetachAndRemoval(Target t) throws Exception {
        Guests.runsAsExpected(t, "sysvshm", new Result(0, SHM, ""));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void messageQueuesOrderWaitAndRemove(Target t) throws Exception {
        Guests.runsAsExpected(t, "sysvmsg", new Result(0, MSG, ""));
    }
}
