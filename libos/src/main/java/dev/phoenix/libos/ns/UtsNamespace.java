package dev.phoenix.libos.ns;

/**
 * A UTS namespace (uts_namespaces(7)): the host name and NIS domain name uname(2) reports and
 * sethostname(2) and setdomainname(2) change. A new namespace starts with its parent's names.
 */
public final class UtsNamespace extends Namespace {
    /** __NEW_UTS_LEN: the longest name. */
    public static final int MAX_NAME = 64;

    private volatile String hostname, domainname;

    public UtsNamespace(UserNamespace owner, boolean initial, String hostname, String domainname) {
        super(NsKind.UTS, owner, initial);
        this.hostname = hostname;
        this.domainname = domainname;
    }

    /** A new namespace owned by {@code owner} with this one's names. */
    public UtsNamespace copy(UserNamespace owner) {
        return new UtsNamespace(owner, false, hostname, domainname);
    }

    public String hostname() {
        return hostname;
    }

    public void setHostname(String name) {
        this.hostname = name;
    }

    public String domainname() {
        return domainname;
    }

    public void setDomainname(String name) {
        this.domainname = name;
    }
}
