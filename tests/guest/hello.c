/* Prints a greeting: the smallest program that needs libc startup, write and exit. */
#include <stdio.h>

int main(void) {
    puts("hello, world");
    return 0;
}
