/* Trivial guest: exits at once. qemu-mips.sh times it to subtract QEMU's
 * start-up and shut-down time from the benchmark's wall time. */
int main(void)
{
    return 0;
}
