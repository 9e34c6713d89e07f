package dev.phoenix.tests;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * mount(2), umount2(2) and chroot(2) (tests/guest/mounts.c, run as root): a read-only bind
 * mount refusing writes with EROFS, a tmpfs with size=1M filling up to ENOSPC, mounts stacked
 * inside mounts and a working directory keeping them busy, MS_BIND|MS_REC, MS_MOVE, noexec,
 * proc, the mountinfo lines of the program's own mounts and chroot into a prepared directory.
 * The text is the native run's as root on Linux 6.18; on x86_64 it is checked against a native
 * run again.
 */
class MountsTest {
    private static final String MOUNTS = """
            bind src ro: ok
            remount ro: ok
            read through ro: hello
            open for writing through ro: EROFS
            create through ro: EROFS
            mkdir through ro: EROFS
            unlink through ro: EROFS
            chmod through ro: EROFS
            source changed, seen through ro: changed
            statfs ro flag: yes
            rename across mounts: EXDEV
            rmdir a mount point: EBUSY
            mount tmpfs size=1M: ok
            tmpfs root mode: 750
            statfs tmpfs magic: TMPFS_MAGIC, blocks 256
            written before the limit: 1048576, then ENOSPC
            after unlink a write fits: yes
            mount tmpfs bad option: EINVAL
            mount unknown type: ENODEV
            mount tmpfs inside tmpfs: ok
            umount outer with inner mounted: EBUSY
            umount2 bad flags: EINVAL
            umount not a mount point: EINVAL
            MS_BIND|MS_REC t to r: ok
            inner through recursive bind: inner
            mountinfo after recursive bind:
              ro ro,relatime parent=other
              t rw,relatime parent=other - tmpfs phxtmp rw,size=1024k,mode=750
              t/sub rw,relatime parent=ours - tmpfs inner rw
              r rw,relatime parent=other - tmpfs phxtmp rw,size=1024k,mode=750
              r/sub rw,relatime parent=ours - tmpfs inner rw
            umount2 r MNT_DETACH: ok
            inner after detach: ENOENT
            umount inner: ok
            chdir into t: ok
            umount t while cwd: EBUSY
            chdir /: ok
            umount2 MNT_EXPIRE first: EAGAIN
            umount2 MNT_EXPIRE second: ok
            t after umount: ENOENT
            mount tmpfs noexec: ok
            execve on noexec: EACCES
            MS_MOVE m to m2: ok
            script at m2: yes, at m: no
            mount proc: ok
            proc magic: PROC_SUPER_MAGIC, self: link
            make-private ro: ok
            make-shared m2: ok
            propagation with other flags: EINVAL
            mountinfo of all:
              ro ro,relatime parent=other
              m2 rw,nosuid,noexec,relatime shared parent=other - tmpfs moved rw
              p rw,nosuid,nodev,noexec,relatime parent=other - proc proc rw
            chroot: ok
            getcwd outside the new root: ENOENT
            chdir /dir: ok
            cwd: /dir
            /marker: inside
            ../../../marker: inside
            /proc/self/root: ENOENT
            chroot /dir: ok
            /marker from /dir: ENOENT
            child: 0
            parent still sees: outside
            cleanup: ok
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void mountUmountAndChrootAsLinuxDoes(Target t) throws Exception {
        Guests.runsAsExpected(t, "mounts", new Result(0, MOUNTS, ""));
    }
}
