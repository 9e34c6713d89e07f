/* Seeks in its own stdout: with stdout redirected to a file, "hello" becomes "Jello". */
#include <stdio.h>
#include <unistd.h>

int main(void) {
    write(1, "hello\n", 6);
    long pos = lseek(1, 0, SEEK_SET);
    write(1, "J", 1);
    int synced = fsync(1);
    fprintf(stderr, "lseek=%ld fsync=%d\n", pos, synced);
    return 0;
}
