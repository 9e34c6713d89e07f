/**
 * {@code phoenix sysroot}: a Debian sysroot for a guest arch, made without root and without
 * touching the host's apt or dpkg. apt-get resolves the dependency closure against a private
 * state (its own lists, configuration and an empty dpkg status) kept under the sysroot's
 * {@code .phoenix-sysroot} directory; the .deb files are downloaded here, checked against the
 * SHA256 of the signed index, and unpacked by dpkg-deb and tar into a merged-/usr tree. One
 * process works on a sysroot at a time (a file lock); nothing here is shared between threads.
 */
package dev.phoenix.cli.sysroot;
