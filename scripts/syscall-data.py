#!/usr/bin/env python3
"""Regenerates Phoenix's syscall numbering data (developer tool; the output is checked in).

Numbers come from the UAPI <asm/unistd.h> each Debian 12 compiler sees (Linux 6.1), plus the
syscalls Linux added since (NEWER below); argument kinds come from the prototypes in the
kernel's include/linux/syscalls.h (package linux-headers-*-common), so strace can show every
syscall with its real argument count.

  apt-get download linux-headers-6.1.0-47-common && dpkg-deb -x linux-headers-*.deb /tmp/lh
  scripts/syscall-data.py /tmp/lh/usr/src/linux-headers-6.1.0-47-common

Writes linux-abi/src/main/resources/dev/phoenix/abi/syscalls/{x86_64,generic,aarch64,riscv64}.txt (what
Phoenix runs on) and linux-abi/src/test/resources/linux/{x86_64,aarch64,riscv64}.h (Linux's
numbering, the reference the unit test checks the tables against).
"""
import os, re, subprocess, sys

LINUX = "6.17"
# Syscalls added after Linux 6.1, with argument kinds: (nr, name, kinds); the same number on
# every arch since the numbering was unified at 424.
NEWER = [
    (451, "cachestat", "FD,PTR,PTR,HEX"), (452, "fchmodat2", "FD,STR,OCT,HEX"),
    (453, "map_shadow_stack", "PTR,UDEC,HEX"), (454, "futex_wake", "PTR,UDEC,DEC,HEX"),
    (455, "futex_wait", "PTR,UDEC,UDEC,HEX,PTR,DEC"), (456, "futex_requeue", "PTR,HEX,DEC,DEC"),
    (457, "statmount", "PTR,PTR,UDEC,HEX"), (458, "listmount", "PTR,PTR,UDEC,HEX"),
    (459, "lsm_get_self_attr", "UDEC,PTR,PTR,HEX"), (460, "lsm_set_self_attr", "UDEC,PTR,UDEC,HEX"),
    (461, "lsm_list_modules", "PTR,PTR,HEX"), (462, "mseal", "PTR,UDEC,HEX"),
    (463, "setxattrat", "FD,STR,HEX,STR,PTR,UDEC"), (464, "getxattrat", "FD,STR,HEX,STR,PTR,UDEC"),
    (465, "listxattrat", "FD,STR,HEX,PTR,UDEC"), (466, "removexattrat", "FD,STR,HEX,STR"),
    (467, "open_tree_attr", "FD,STR,HEX,PTR,UDEC"), (468, "file_getattr", "FD,STR,PTR,UDEC,HEX"),
    (469, "file_setattr", "FD,STR,PTR,UDEC,HEX"),
]
ARCH_ONLY = {"riscv64": [(258, "riscv_hwprobe", "PTR,UDEC,UDEC,PTR,HEX")]}
# Entries with no prototype in syscalls.h (arch-specific or never implemented): strace's counts.
NO_PROTO = {
    "mmap": "PTR,UDEC,HEX,HEX,FD,HEX", "rt_sigreturn": "", "modify_ldt": "DEC,PTR,UDEC",
    "arch_prctl": "HEX,PTR", "umount2": "STR,HEX", "iopl": "DEC", "create_module": "STR,UDEC",
    "get_kernel_syms": "PTR", "query_module": "STR,DEC,PTR,UDEC,PTR", "nfsservctl": "DEC,PTR,PTR",
    "getpmsg": "DEC,PTR,PTR,PTR,PTR", "putpmsg": "DEC,PTR,PTR,DEC,DEC", "afs_syscall": "HEX,HEX,HEX,HEX,HEX",
    "tuxcall": "HEX,HEX,HEX", "security": "HEX,HEX,HEX", "set_thread_area": "PTR", "get_thread_area": "PTR",
    "epoll_ctl_old": "FD,DEC,FD,PTR", "epoll_wait_old": "FD,PTR,DEC,DEC", "vserver": "HEX,HEX,HEX,HEX,HEX",
    "riscv_flush_icache": "PTR,PTR,HEX", "_sysctl": "PTR", "clone": "HEX,PTR,PTR,PTR,PTR",
}
SOCKET_CALLS = {"bind", "connect", "accept", "accept4", "listen", "getsockname", "getpeername", "sendto",
                "recvfrom", "setsockopt", "getsockopt", "shutdown", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg"}
STRING_NAMES = {"filename", "pathname", "path", "name", "oldname", "newname", "specialfile", "library",
                "dev_name", "dir_name", "type", "new_root", "put_old", "uargs", "oldpath", "newpath",
                "special", "key", "fsname", "_type", "_description", "_callout_info", "uname", "val"}


def numbers(cc):
    dm = subprocess.run([cc, "-E", "-dM", "-"], input="#include <asm/unistd.h>\n",
                        capture_output=True, text=True, check=True).stdout
    macros = sorted({m.group(1) for m in re.finditer(r"#define (__NR(?:3264)?_\w+)", dm)})
    src = "#include <asm/unistd.h>\n" + "".join(f"@{m[2:]}@ {m}\n" for m in macros)
    out = subprocess.run([cc, "-E", "-P", "-"], input=src, capture_output=True, text=True, check=True).stdout
    plain, generic = {}, {}
    for line in out.splitlines():
        m = re.match(r"@NR(3264)?_(\w+)@ ([()0-9+ ]+)$", line)
        if not m or m.group(2) in ("syscalls", "arch_specific_syscall"):
            continue
        (generic if m.group(1) else plain)[m.group(2)] = eval(m.group(3))
    by_nr = {v: k for k, v in generic.items()}
    by_nr.update({v: k for k, v in plain.items()})  # __NR_newfstatat wins over __NR3264_fstatat
    return by_nr


def prototypes(headers):
    src = open(os.path.join(headers, "include/linux/syscalls.h")).read()
    protos = {}
    for m in re.finditer(r"asmlinkage\s+long\s+sys_(\w+)\s*\(([^;]*?)\)\s*;", src, re.S):
        args = [a.strip() for a in " ".join(m.group(2).split()).split(",")]
        protos.setdefault(m.group(1), [] if args == ["void"] else args)
    return protos


def kind(decl):
    name = re.findall(r"\w+", decl)[-1]
    if name == "pos_h":
        return "SKIP"  # strace shows a split 64-bit offset as one value
    if "*" in decl:
        return "STR" if "char" in decl and name in STRING_NAMES else "PTR"
    if name.endswith("fd") or name in ("fildes", "fd_in", "fd_out"):
        return "FD"
    if "umode_t" in decl:
        return "OCT"
    if "flag" in name or name in ("prot", "how", "options", "mask", "cmd", "op", "request"):
        return "HEX"
    if "size_t" in decl or "unsigned" in decl or decl.startswith(("u32", "u64", "__u32", "__u64")):
        return "UDEC"
    return "DEC"


def kinds(name, protos):
    if name in NO_PROTO:
        return NO_PROTO[name]
    k = [kind(a) for a in protos[name]]
    if name in SOCKET_CALLS:
        k[0] = "FD"  # syscalls.h leaves the socket's parameter unnamed
    if name in ("bind", "connect"):
        k[1] = "SOCKADDR"  # with its length in the next argument
    if name == "sendto":
        k[4] = "SOCKADDR"
    return ",".join(k)


def write_table(path, table, title):
    with open(path, "w") as f:
        f.write(f"# {title}\n# Linux {LINUX} numbering; generated by scripts/syscall-data.py (do not edit by hand).\n")
        f.write("# NUMBER NAME ARGUMENT-KINDS (how strace shows each argument; - for none)\n")
        for nr in sorted(table):
            name, k = table[nr]
            f.write(f"{nr} {name} {k or '-'}\n")


def write_reference(path, table, arch):
    with open(path, "w") as f:
        f.write(f"/* Linux {LINUX} syscall numbers for {arch}, as <asm/unistd.h> defines them. */\n")
        for nr in sorted(table):
            f.write(f"#define __NR_{table[nr][0]} {nr}\n")


def main():
    protos = prototypes(sys.argv[1])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    main_dir = os.path.join(root, "linux-abi/src/main/resources/dev/phoenix/abi/syscalls")
    test_dir = os.path.join(root, "linux-abi/src/test/resources/linux")
    os.makedirs(main_dir, exist_ok=True)
    os.makedirs(test_dir, exist_ok=True)
    tables = {}
    for arch, cc in [("x86_64", "gcc"), ("aarch64", "aarch64-linux-gnu-gcc"), ("riscv64", "riscv64-linux-gnu-gcc")]:
        t = {nr: (name, kinds(name, protos)) for nr, name in numbers(cc).items()}
        for nr, name, k in NEWER + ARCH_ONLY.get(arch, []):
            t[nr] = (name, k)
        tables[arch] = t
        write_reference(os.path.join(test_dir, arch + ".h"), t, arch)
    write_table(os.path.join(main_dir, "x86_64.txt"), tables["x86_64"],
                "x86_64 (arch/x86/entry/syscalls/syscall_64.tbl, 64-bit and common entries; x32 excluded)")
    common = {nr: v for nr, v in tables["aarch64"].items() if tables["riscv64"].get(nr) == v}
    write_table(os.path.join(main_dir, "generic.txt"), common,
                "asm-generic (include/uapi/asm-generic/unistd.h), shared by aarch64 and riscv64; "
                "each arch's Abi adds its own entries")
    for arch in ("aarch64", "riscv64"):
        extra = {nr: v for nr, v in tables[arch].items() if nr not in common}
        write_table(os.path.join(main_dir, arch + ".txt"), extra, arch + ": its entries beyond generic.txt")


main()
