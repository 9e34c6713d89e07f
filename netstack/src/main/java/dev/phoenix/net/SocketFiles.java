package dev.phoenix.net;

/**
 * The file names of AF_UNIX sockets, as the caller's file system view resolves them: bind makes
 * a socket file, connect and sendto find one. An identity is what tells two files apart (the
 * host's device and inode), so a name unlinked and bound again is a new socket.
 */
public interface SocketFiles {
    /**
     * Makes the socket file {@code path} (mode 0777 less the umask) and returns its identity;
     * EADDRINUSE when the name exists, or the error of resolving it (ENOENT, ENOTDIR, EACCES).
     */
    Object create(String path);

    /**
     * The identity of the file {@code path} for connect and sendto; ENOENT when missing, and
     * ECONNREFUSED when it is not a socket.
     */
    Object find(String path);

    /** Removes the socket file {@code path} that {@link #create} just made, for a bind that failed after it. */
    void remove(String path);
}
