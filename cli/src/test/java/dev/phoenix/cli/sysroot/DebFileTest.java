package dev.phoenix.cli.sysroot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lines of {@code apt-get --print-uris}, as apt 2.6 prints them with Acquire::ForceHash=SHA256. */
class DebFileTest {
    private static final String HASH = "9929497fdd0f08bb76b49d059005c327619447cefd46bea167a8e2944979a93f";

    @Test
    void aLineGivesTheFileItsSizeAndHash() {
        DebFile d = DebFile.parse("'http://deb.debian.org/debian/pool/main/g/glibc/libc6_2.36-9%2bdeb12u14_arm64.deb' "
                + "libc6_2.36-9+deb12u14_arm64.deb 2324660 SHA256:" + HASH);
        assertEquals(new DebFile(URI.create("http://deb.debian.org/debian/pool/main/g/glibc/libc6_2.36-9%2bdeb12u14_arm64.deb"),
                "libc6_2.36-9+deb12u14_arm64.deb", 2324660, HASH), d);
        assertEquals(List.of("libc6", "2.36-9+deb12u14"), List.of(d.name(), d.version()));
    }

    @Test
    void anEpochIsShownAsDebianWritesIt() {
        DebFile d = DebFile.parse("'http://deb.debian.org/debian/pool/main/a/attr/libattr1_2.5.2-3_riscv64.deb' "
                + "libattr1_1%3a2.5.2-3_riscv64.deb 22884 SHA256:" + HASH);
        assertEquals(List.of("libattr1", "1:2.5.2-3"), List.of(d.name(), d.version()));
    }

    @Test
    void otherLinesAreNotFiles() {
        assertNull(DebFile.parse("Reading package lists..."));
        assertNull(DebFile.parse("'http://x/y.deb' y.deb 10 MD5Sum:c5d785f62da63c2976bf748f19aa3911"));
        assertNull(DebFile.parse("'http://x/y.deb' ../y.deb 10 SHA256:" + HASH));
    }

    @Test
    void bothSpellingsOfAnArchAreTaken() {
        assertEquals(List.of(DebianArch.AARCH64, DebianArch.AARCH64, DebianArch.X86_64, DebianArch.X86_64, DebianArch.RISCV64),
                List.of(DebianArch.parse("aarch64"), DebianArch.parse("arm64"), DebianArch.parse("x86_64"),
                        DebianArch.parse("amd64"), DebianArch.parse("riscv64")));
        assertNull(DebianArch.parse("i386"));
    }
}
