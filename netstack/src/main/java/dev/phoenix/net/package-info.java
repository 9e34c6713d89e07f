/**
 * BSD sockets: AF_UNIX over IPC channels, AF_INET/AF_INET6, poll/select/epoll. Empty until the sockets issue.
 */
package dev.phoenix.net;
