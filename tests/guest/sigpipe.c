/* SIGPIPE: a write to a pipe with no reader fails with EPIPE and sends SIGPIPE to the writer.
 * No argument: an internal pipe, with SIGPIPE ignored, then handled, then at its default (which
 * ends the process: exit status 141 in a shell). Argument "stdout": reads stdin to its end, then
 * writes to stdout, whose reader the caller closes first. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t caught;

static void on_pipe(int sig) {
    caught = sig;
}

static void show(const char *what, long r) {
    printf("%s = %ld%s\n", what, r, r < 0 ? (errno == EPIPE ? " EPIPE" : " other errno") : "");
    fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "stdout") == 0) {
        char buf[64];
        while (read(0, buf, sizeof buf) > 0) {
        }
        for (int i = 0; i < 3; i++) {
            if (write(1, "data\n", 5) < 0) {
                fprintf(stderr, "write returned: %s\n", strerror(errno));
                return 3;
            }
        }
        fprintf(stderr, "the reader was still there\n");
        return 4;
    }
    int p[2];
    show("pipe", pipe(p));
    show("close read end", close(p[0]));
    signal(SIGPIPE, SIG_IGN);
    show("write, SIGPIPE ignored", write(p[1], "x", 1));
    signal(SIGPIPE, on_pipe);
    show("write, SIGPIPE handled", write(p[1], "x", 1));
    show("handler saw SIGPIPE", caught == SIGPIPE);
    signal(SIGPIPE, SIG_DFL);
    printf("write, SIGPIPE default: the process ends\n");
    fflush(stdout);
    write(p[1], "x", 1);
    printf("still running\n");
    return 0;
}
