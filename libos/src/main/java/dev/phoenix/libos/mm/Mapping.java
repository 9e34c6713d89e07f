package dev.phoenix.libos.mm;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.cap.Frames;
import java.lang.foreign.MemorySegment;

/**
 * One VMA: guest pages {@code [start, end)} bound to {@code frames} from byte
 * {@code frameOffset} (or, for an I/O mapping, to no frames), with protections and a name for
 * /proc/PID/maps ("[heap]", "[stack]"). A MAP_SHARED file mapping names its {@link MappedFile};
 * its pages past the end of the file have no frames (a hole: SIGBUS, until the file grows).
 */
final class Mapping {
    final long start;
    final long end;
    int prot;
    final Frames frames;
    final long frameOffset;
    final String name;
    /** MAP_GROWSDOWN (the stack): a fault just below extends the mapping down. */
    boolean growsDown;
    /** Part of an ELF image the loader mapped (its bss included). */
    boolean image;
    /** MAP_SHARED anonymous memory (VM_SHARED without a file). */
    boolean sharedAnonymous;
    /** The System V shared memory segment attached here (shmat(2)), or null. */
    Object sysv;
    /** What answers the loads of an I/O mapping (the vvar page), or null. */
    dev.phoenix.emu.IoReader io;
    /**
     * A private mapping whose frames another address space holds too (fork shares private
     * mappings nobody may write, such as program text): they must be copied before either side
     * writes them (mprotect adding PROT_WRITE, MADV_DONTNEED).
     */
    boolean copyOnWrite;
    /** The file of a MAP_SHARED file mapping, or null. */
    MappedFile shared;
    /** The host file of a private file mapping whose frames are its page cache (copy-on-write), or null. */
    java.nio.file.Path privateFile;
    /** For a file mapping: the file offset of {@code start}, and the file's device and inode. */
    long fileOffset;
    long device;
    long inode;

    Mapping(long start, long end, int prot, Frames frames, long frameOffset, String name) {
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.frames = frames;
        this.frameOffset = frameOffset;
        this.name = name;
    }

    /** The host bytes behind this mapping; EFAULT for an I/O mapping, which has none. */
    MemorySegment segment() {
        if (frames == null) {
            throw Errno.of(Errno.EFAULT);
        }
        return frames.segment().asSlice(frameOffset, end - start);
    }

    /** True for a range with no frames behind it: the kernel answers it (vvar), or it lies past end of file. */
    boolean isIo() {
        return frames == null;
    }

    /**
     * True for what Linux counts as data (is_data_mapping: VM_WRITE without VM_SHARED or
     * VM_STACK): private writable memory that is not a stack, the pages RLIMIT_DATA bounds.
     */
    boolean isData() {
        return (prot & dev.phoenix.emu.Prot.WRITE) != 0 && shared == null && !sharedAnonymous && !growsDown
                && frames != null;
    }

    /**
     * True for the memory a process's own code writes on every path, so that both sides of a
     * fork write it at once: the stack, the brk heap and the writable segments of the program and
     * its libraries (file mappings). fork copies these when small, which costs less than the
     * write faults that would follow; the anonymous memory a program maps itself (buffers, the
     * stacks of threads the child does not have) is shared copy-on-write, as Linux shares it.
     */
    boolean writtenByBothAfterFork() {
        return growsDown || image || "[heap]".equals(name) || inode != 0;
    }

    /** True for the pages of a shared file mapping past the end of the file. */
    boolean isHole() {
        return frames == null && shared != null;
    }

    /** Takes one more hold on the frames (and file), for a new holder made by a split. */
    void hold() {
        if (frames != null) {
            frames.retain();
        }
        if (shared != null) {
            shared.retain();
        }
    }

    /** Gives up this holder's hold on the frames (and file). */
    void drop() {
        if (frames != null) {
            frames.release();
        }
        if (shared != null) {
            shared.release();
        }
    }

    /** Gives this mapping the file identity {@code of} has, for the file offset at {@code start}. */
    Mapping sameFileAs(Mapping of) {
        shared = of.shared;
        privateFile = of.privateFile;
        fileOffset = of.fileOffset + (start - of.start);
        device = of.device;
        inode = of.inode;
        return this;
    }

    /**
     * A private copy of this mapping on {@code frames} (fresh ones, which the caller fills): the
     * same range, protections, name, file identity, stack and image marks.
     */
    Mapping privateCopyOn(Frames frames) {
        Mapping c = new Mapping(start, end, prot, frames, 0, name).sameFileAs(this);
        c.growsDown = growsDown;
        c.image = image;
        return c;
    }

    /** The part of this mapping in {@code [from, to)}, sharing its frames (the caller retains them). */
    Mapping slice(long from, long to) {
        Mapping m = new Mapping(from, to, prot, frames, frameOffset + (from - start), name);
        m.growsDown = growsDown;
        m.sharedAnonymous = sharedAnonymous;
        m.sysv = sysv;
        m.image = image;
        m.io = io;
        m.copyOnWrite = copyOnWrite;
        return m.sameFileAs(this);
    }
}
