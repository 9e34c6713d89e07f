package dev.phoenix.libos.proc;

import dev.phoenix.libos.Errno;

/**
 * One kind of id of a process, user or group, as credentials(7) keeps it: real, effective, saved
 * and file-system. The set*id rules of kernel/sys.c are the same for both kinds but for the
 * capability that lifts them (CAP_SETUID, CAP_SETGID), so they are written once here; each
 * returns the new ids or throws {@link Errno}. A new effective id is also the new fs id.
 */
record Ids(int real, int effective, int saved, int fs) {
    /** (uid_t) -1: "leave unchanged", and never a valid id. */
    static final int UNCHANGED = -1;

    static void checkValid(int id) {
        if (id == UNCHANGED) {
            throw Errno.of(Errno.EINVAL);
        }
    }

    /** setuid(2)/setgid(2): with the capability all four ids, else the real or saved id may become effective. */
    Ids set(int id, boolean capable) {
        checkValid(id);
        if (capable) {
            return new Ids(id, id, id, id);
        }
        if (id != real && id != saved) {
            throw Errno.of(Errno.EPERM);
        }
        return new Ids(real, id, saved, id);
    }

    /**
     * setreuid(2)/setregid(2): the real id may become the real or effective one, the effective
     * one any of the three; the saved id follows the effective one when the real id is set or the
     * effective one changes away from the real.
     */
    Ids setReal(int r, int e, boolean capable) {
        if (r != UNCHANGED && r != real && r != effective && !capable) {
            throw Errno.of(Errno.EPERM);
        }
        if (e != UNCHANGED && !isOneOf(e) && !capable) {
            throw Errno.of(Errno.EPERM);
        }
        int newR = r == UNCHANGED ? real : r;
        int newE = e == UNCHANGED ? effective : e;
        int newS = r != UNCHANGED || (e != UNCHANGED && e != real) ? newE : saved;
        return new Ids(newR, newE, newS, newE);
    }

    /** setresuid(2)/setresgid(2): without the capability each new id must be one of the current three. */
    Ids setAll(int r, int e, int s, boolean capable) {
        if (!capable && !(unchangedOrOneOf(r) && unchangedOrOneOf(e) && unchangedOrOneOf(s))) {
            throw Errno.of(Errno.EPERM);
        }
        int newE = e == UNCHANGED ? effective : e;
        return new Ids(r == UNCHANGED ? real : r, newE, s == UNCHANGED ? saved : s, newE);
    }

    /** setfsuid(2)/setfsgid(2): the new fs id when it is one of the four ids or the caller is capable; else none. */
    Ids setFs(int id, boolean capable) {
        if (id == UNCHANGED || id == fs || !(isOneOf(id) || capable)) {
            return null;
        }
        return new Ids(real, effective, saved, id);
    }

    private boolean isOneOf(int id) {
        return id == real || id == effective || id == saved;
    }

    private boolean unchangedOrOneOf(int id) {
        return id == UNCHANGED || isOneOf(id);
    }
}
