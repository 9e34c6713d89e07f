/* Reports what the terminal ioctls say about stdin and stdout: TCGETS (via isatty and
 * tcgetattr) and TIOCGWINSZ. Run on a pty and on a pipe, natively and under Phoenix. */
#include <errno.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int main(void) {
    char out[512];
    int n = 0;
    for (int fd = 0; fd <= 1; fd++) {
        struct termios t;
        struct winsize ws;
        int tc = tcgetattr(fd, &t);
        int tc_errno = tc < 0 ? errno : 0;
        int wr = ioctl(fd, TIOCGWINSZ, &ws);
        int ws_errno = wr < 0 ? errno : 0;
        n += snprintf(out + n, sizeof out - n, "fd %d: isatty=%d tcgetattr=%d errno=%d", fd, isatty(fd), tc, tc_errno);
        if (tc == 0) {
            n += snprintf(out + n, sizeof out - n, " lflag_icanon=%d", (t.c_lflag & ICANON) != 0);
        }
        n += snprintf(out + n, sizeof out - n, " winsize=%d", wr);
        if (wr == 0) {
            n += snprintf(out + n, sizeof out - n, " rows=%d cols=%d", ws.ws_row, ws.ws_col);
        } else {
            n += snprintf(out + n, sizeof out - n, " errno=%d", ws_errno);
        }
        n += snprintf(out + n, sizeof out - n, "\n");
    }
    fputs(out, stdout);
    return 0;
}
